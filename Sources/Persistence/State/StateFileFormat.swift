import Foundation
import Primitives
import TradingModel

/// The on-disk form of `PersistentState` (schema version 3: version 2 and the processed flow alerts).
///
/// The writer is canonical: fixed key order, two-space indentation, one position or intent per line,
/// money as exact decimal strings, times as RFC 3339 UTC with milliseconds. The last member, on a line
/// of its own, is `"checksum": "sha256:<hex>"`: the SHA-256 of every byte of the file before that line.
/// A reader checks those exact bytes, so any change to them is caught whatever it does to the values,
/// and the check never depends on how this build would encode the same state.
public enum StateFileFormat {
    public static let currentSchemaVersion = 3
    public static let fileName = "trading_state.json"
    static let checksumPrefix = "sha256:"

    /// Encoded lines of positions and trade times from the previous save, reused while unchanged: most
    /// saves change one position, and formatting decimals and times is most of the cost of a save.
    struct LineCache {
        fileprivate var positions: [Symbol: (position: Position, line: String)] = [:]
        fileprivate var tradeTimes: [Symbol: (time: Timestamp, line: String)] = [:]
        fileprivate var signals: [String: (at: Timestamp, line: String)] = [:]
    }

    /// The complete file for `state`, saved at `savedAt`.
    public static func encode(_ state: PersistentState, savedAt: Timestamp) -> [UInt8] {
        var cache = LineCache()
        return encode(state, savedAt: savedAt, cache: &cache)
    }

    /// The complete file, reusing (and then refreshing) `cache`.
    static func encode(_ state: PersistentState, savedAt: Timestamp, cache: inout LineCache) -> [UInt8] {
        var text = body(state, savedAt: savedAt, cache: &cache)
        let checksum = StateChecksum.hexDigest(of: text.utf8)
        text += "  \"checksum\": \"\(checksumPrefix)\(checksum)\"\n}\n"
        return Array(text.utf8)
    }

    /// Everything the checksum covers: the document up to and including the newline before the checksum line.
    static func body(_ state: PersistentState, savedAt: Timestamp, cache: inout LineCache) -> String {
        var fresh = LineCache()
        var text = "{\n"
        text.reserveCapacity(
            1024 + 160 * (state.positions.count + state.pendingIntents.count) + 48 * state.lastTradeAt.count + 64 * state.processedSignals.count)
        text += "  \"schema_version\": \(currentSchemaVersion),\n"
        text += "  \"saved_at\": \"\(savedAt.rfc3339)\",\n"

        text += "  \"positions\": ["
        let positions = state.positions.values.sorted { $0.symbol < $1.symbol }
        for (index, position) in positions.enumerated() {
            text += index == 0 ? "\n    " : ",\n    "
            var line: String
            if let cached = cache.positions[position.symbol], cached.position == position {
                line = cached.line
            } else {
                line = "{"
                plain("symbol", position.symbol.rawValue, to: &line, first: true)
                plain("quantity", position.quantity.description, to: &line)
                plain("average_entry_price", position.averageEntryPrice.description, to: &line)
                plain("opened_at", position.openedAt.rfc3339, to: &line)
                line += "}"
            }
            fresh.positions[position.symbol] = (position, line)
            text += line
        }
        text += positions.isEmpty ? "],\n" : "\n  ],\n"

        text += "  \"realized_pnl\": \"\(state.realizedPnL.description)\",\n"

        text += "  \"last_trade_at\": {"
        for (index, (symbol, time)) in state.lastTradeAt.sorted(by: { $0.key < $1.key }).enumerated() {
            var line: String
            if let cached = cache.tradeTimes[symbol], cached.time == time {
                line = cached.line
            } else {
                line = ""
                plain(symbol.rawValue, time.rfc3339, to: &line, first: true)
            }
            fresh.tradeTimes[symbol] = (time, line)
            if index > 0 { text += ", " }
            text += line
        }
        text += "},\n"

        text += "  \"trading_state\": "
        tradingState(state.trading.effective, to: &text)
        text += ",\n  \"chosen_trading_state\": "
        tradingState(state.trading.chosen, to: &text)
        text += ",\n  \"trading_holds\": ["
        for (index, hold) in state.trading.holds.enumerated() {
            text += index == 0 ? "\n    {" : ",\n    {"
            plain("code", hold.code.rawValue, to: &text, first: true)
            escaped("reason", hold.reason, to: &text)
            plain("actor", hold.actor.rawValue, to: &text)
            plain("since", hold.since.rfc3339, to: &text)
            text += "}"
        }
        text += state.trading.holds.isEmpty ? "],\n" : "\n  ],\n"

        text += "  \"pending_intents\": ["
        for (index, intent) in state.pendingIntents.enumerated() {
            text += index == 0 ? "\n    {" : ",\n    {"
            escaped("client_order_id", intent.clientOrderID, to: &text, first: true)
            plain("symbol", intent.symbol.rawValue, to: &text)
            plain("side", intent.side.rawValue, to: &text)
            plain("quantity", intent.quantity.description, to: &text)
            plain("limit_price", intent.limitPrice?.description, to: &text)
            plain("created_at", intent.createdAt.rfc3339, to: &text)
            text += "}"
        }
        text += state.pendingIntents.isEmpty ? "],\n" : "\n  ],\n"

        text += "  \"last_flow_alert_id\": "
        escapedValue(state.lastFlowAlertID, to: &text)
        text += ",\n"

        text += "  \"processed_signals\": ["
        for (index, signal) in state.processedSignals.enumerated() {
            text += index == 0 ? "\n    " : ",\n    "
            var line: String
            if let cached = cache.signals[signal.id], cached.at == signal.at {
                line = cached.line
            } else {
                line = "{"
                escaped("id", signal.id, to: &line, first: true)
                plain("at", signal.at.rfc3339, to: &line)
                line += "}"
            }
            fresh.signals[signal.id] = (signal.at, line)
            text += line
        }
        text += state.processedSignals.isEmpty ? "],\n" : "\n  ],\n"
        cache = fresh
        return text
    }

    private static func tradingState(_ state: TradingState, to text: inout String) {
        text += "{"
        plain("mode", state.mode.rawValue, to: &text, first: true)
        escaped("reason", state.reason, to: &text)
        plain("actor", state.actor.rawValue, to: &text)
        plain("since", state.since.rfc3339, to: &text)
        text += "}"
    }

    /// A member whose key and value never need escaping (our keys, symbols, numbers, times, enum values):
    /// the hot path, written without looking at each character.
    private static func plain(_ key: String, _ value: String?, to text: inout String, first: Bool = false) {
        text += first ? "\"" : ", \""
        text += key
        if let value {
            text += "\": \""
            text += value
            text += "\""
        } else {
            text += "\": null"
        }
    }

    /// A member whose value is free text.
    private static func escaped(_ key: String, _ value: String?, to text: inout String, first: Bool = false) {
        text += first ? "\"" : ", \""
        text += key
        text += "\": "
        escapedValue(value, to: &text)
    }

    private static func escapedValue(_ value: String?, to text: inout String) {
        guard let value else {
            text += "null"
            return
        }
        if value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            JSON.appendString(value, to: &text)
        } else {
            text += "\""
            text += value
            text += "\""
        }
    }
}
