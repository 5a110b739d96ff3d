import Foundation
import Primitives
import TradingModel

// The shapes of a schema version 2 or 3 file as `JSONDecoder` reads them. Every member must be present,
// nullable ones as an explicit `null`; money must be an exact decimal string.

/// A decimal written as a JSON string of digits: `-12.5`, never `1e3`, `NaN` or a bare number.
struct ExactDecimal: Decodable, Hashable {
    let value: Decimal

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self.parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text.prefix(60))\" is not an exact decimal number")
        }
        self.value = value
    }

    /// Parses `-?digits(.digits)?` with at most 38 significant digits (what `Decimal` holds exactly).
    static func parse(_ text: String) -> Decimal? {
        let bytes = Array(text.utf8)
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        var integerDigits = 0
        var fractionDigits = 0
        var significant = 0
        var seenNonZero = false
        var seenPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                guard !seenPoint, integerDigits > 0 else { return nil }
                seenPoint = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if seenPoint { fractionDigits += 1 } else { integerDigits += 1 }
                if byte != UInt8(ascii: "0") { seenNonZero = true }
                if seenNonZero { significant += 1 }
            } else {
                return nil
            }
            index += 1
        }
        guard integerDigits > 0, !seenPoint || fractionDigits > 0, significant <= 38 else { return nil }
        return Decimal(string: text)
    }
}

extension KeyedDecodingContainer {
    /// A member that must be present and may be `null`.
    func decodeNullable<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try decodeNil(forKey: key) ? nil : decode(type, forKey: key)
    }
}

struct FileV2: Decodable {
    var schemaVersion: Int
    var savedAt: Timestamp
    var positions: [PositionRecord]
    var realizedPnL: ExactDecimal
    var lastTradeAt: [String: Timestamp]
    var tradingState: TradingStateRecord
    var chosenTradingState: TradingStateRecord
    var tradingHolds: [HoldRecord]
    var pendingIntents: [IntentRecord]
    var lastFlowAlertID: String?
    /// Version 3 and later; empty for a version 2 file.
    var processedSignals: [ProcessedSignalRecord]
    var checksum: String

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", savedAt = "saved_at", positions, realizedPnL = "realized_pnl"
        case lastTradeAt = "last_trade_at", tradingState = "trading_state", chosenTradingState = "chosen_trading_state"
        case tradingHolds = "trading_holds", pendingIntents = "pending_intents", lastFlowAlertID = "last_flow_alert_id"
        case processedSignals = "processed_signals", checksum
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        savedAt = try container.decode(Timestamp.self, forKey: .savedAt)
        positions = try container.decode([PositionRecord].self, forKey: .positions)
        realizedPnL = try container.decode(ExactDecimal.self, forKey: .realizedPnL)
        lastTradeAt = try container.decode([String: Timestamp].self, forKey: .lastTradeAt)
        tradingState = try container.decode(TradingStateRecord.self, forKey: .tradingState)
        chosenTradingState = try container.decode(TradingStateRecord.self, forKey: .chosenTradingState)
        tradingHolds = try container.decode([HoldRecord].self, forKey: .tradingHolds)
        pendingIntents = try container.decode([IntentRecord].self, forKey: .pendingIntents)
        lastFlowAlertID = try container.decodeNullable(String.self, forKey: .lastFlowAlertID)
        processedSignals = schemaVersion >= 3 ? try container.decode([ProcessedSignalRecord].self, forKey: .processedSignals) : []
        checksum = try container.decode(String.self, forKey: .checksum)
    }
}

struct ProcessedSignalRecord: Decodable {
    var id: String
    var at: Timestamp
}

struct PositionRecord: Decodable {
    var symbol: Symbol
    var quantity: ExactDecimal
    var averageEntryPrice: ExactDecimal
    var openedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case symbol, quantity, averageEntryPrice = "average_entry_price", openedAt = "opened_at"
    }
}

struct TradingStateRecord: Decodable {
    var state: TradingState

    enum CodingKeys: String, CodingKey { case mode, reason, actor, since }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        state = TradingState(
            mode: try container.decode(TradingState.Mode.self, forKey: .mode),
            reason: try container.decodeNullable(String.self, forKey: .reason),
            actor: try container.decode(TradingState.Actor.self, forKey: .actor),
            since: try container.decode(Timestamp.self, forKey: .since))
    }
}

struct HoldRecord: Decodable {
    var hold: TradingStateLedger.Hold

    enum CodingKeys: String, CodingKey { case code, reason, actor, since }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .code)
        guard let code = HaltCode(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .code, in: container, debugDescription: "\"\(text.prefix(60))\" is not a known halt code")
        }
        hold = TradingStateLedger.Hold(
            code: code, reason: try container.decode(String.self, forKey: .reason),
            actor: try container.decode(TradingState.Actor.self, forKey: .actor),
            since: try container.decode(Timestamp.self, forKey: .since))
    }
}

struct IntentRecord: Decodable {
    var intent: OrderIntent

    enum CodingKeys: String, CodingKey {
        case clientOrderID = "client_order_id", symbol, side, quantity, limitPrice = "limit_price", createdAt = "created_at"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        intent = OrderIntent(
            clientOrderID: try container.decode(String.self, forKey: .clientOrderID),
            symbol: try container.decode(Symbol.self, forKey: .symbol),
            side: try container.decode(OrderSide.self, forKey: .side),
            quantity: try container.decode(ExactDecimal.self, forKey: .quantity).value,
            limitPrice: try container.decodeNullable(ExactDecimal.self, forKey: .limitPrice)?.value,
            createdAt: try container.decode(Timestamp.self, forKey: .createdAt))
    }
}
