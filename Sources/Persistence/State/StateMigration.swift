import Foundation
import Primitives
import TradingModel

/// Reads the original system's state file (version 1) into the current model.
///
/// Version 1: `{"version": 1, "positions": {SYMBOL: {"qty": n, "avg_price": n}}, "pnl": n,
/// "trade_timestamps": {SYMBOL: ISO-8601}}`, numbers as JSON numbers (read exactly, never through a
/// `Double`), no checksum. Rules:
/// - a position with `qty` 0 was closed and is left out; `avg_price` must be positive;
/// - a timestamp without an offset (Python's naive `isoformat()`) is read as UTC;
/// - a position opened at its symbol's last trade time if known, else at `now`;
/// - the migrated state is HALTED (hold FAILED_RECONCILIATION) until reconciled with the broker, since the
///   original system's positions cannot be trusted blindly.
enum StateMigration {
    static func decodeVersion1(_ data: Data, now: Timestamp) -> StateFileFormat.Decoded {
        let file: FileV1
        do {
            file = try JSONDecoder().decode(FileV1.self, from: data)
        } catch {
            return .corrupt(StateFileFormat.describe(error))
        }
        var lastTradeAt: [Symbol: Timestamp] = [:]
        for (key, text) in file.tradeTimestamps {
            guard let symbol = Symbol(key) else { return .corrupt("trade_timestamps has \"\(key)\", which is not a ticker symbol") }
            guard let time = parseTime(text) else {
                return .corrupt("trade_timestamps.\(key): \"\(text.prefix(60))\" is not an ISO-8601 time")
            }
            lastTradeAt[symbol] = time
        }
        var positions: [Symbol: Position] = [:]
        for (key, record) in file.positions {
            guard let symbol = Symbol(key) else { return .corrupt("positions has \"\(key)\", which is not a ticker symbol") }
            guard !record.qty.isNaN, !record.avgPrice.isNaN else { return .corrupt("positions.\(key) holds a value that is not a number") }
            if record.qty.isZero { continue }
            guard record.avgPrice > 0 else {
                return .corrupt("positions.\(key).avg_price is \(record.avgPrice), which must be positive")
            }
            positions[symbol] = Position(
                symbol: symbol, quantity: record.qty, averageEntryPrice: record.avgPrice,
                openedAt: lastTradeAt[symbol] ?? now)
        }
        guard !file.pnl.isNaN else { return .corrupt("pnl is not a number") }
        var trading = TradingStateLedger.active(since: now)
        trading.hold(
            .reconciliation,
            reason: "\(HaltCode.reconciliation): migrated from the version 1 state file, not yet reconciled with the broker",
            at: now)
        let state = PersistentState(
            positions: positions, realizedPnL: file.pnl, lastTradeAt: lastTradeAt, trading: trading)
        if let violation = state.violation() { return .corrupt(violation) }
        return .valid(state, savedAt: nil, schemaVersion: 1)
    }

    /// RFC 3339, or the same without an offset (taken as UTC).
    static func parseTime(_ text: String) -> Timestamp? {
        if let time = Timestamp(rfc3339: text) { return time }
        return Timestamp(rfc3339: text + "Z")
    }
}

private struct FileV1: Decodable {
    struct PositionV1: Decodable {
        var qty: Decimal
        var avgPrice: Decimal

        enum CodingKeys: String, CodingKey {
            case qty
            case avgPrice = "avg_price"
        }
    }

    var version: Int
    var positions: [String: PositionV1]
    var pnl: Decimal
    var tradeTimestamps: [String: String]

    enum CodingKeys: String, CodingKey {
        case version, positions, pnl
        case tradeTimestamps = "trade_timestamps"
    }
}
