import Foundation
import Primitives
import TradingModel

/// One line of `logs/orders.jsonl`: when, and which order event. Every line is a flat JSON object with
/// `ts` and `event`, money as exact decimal strings, e.g.
/// `{"ts":"…","event":"guard_rejected","symbol":"AAPL","side":"buy","quantity":"10","check":"max_notional","limit":"2000","actual":"2500","message":"…"}`.
public struct OrderJournalEntry: Hashable, Sendable {
    public enum Record: Hashable, Sendable {
        case intent(OrderIntent)
        case submitted(OrderSubmission)
        case filled(OrderFill)
        /// A fill found by reconciliation (an order that ended while Bulwark was not following it): a
        /// `filled` line with `"adopted":true`.
        case adoptedFill(OrderFill)
        /// A fill the broker reported without a price: a `filled` line with `"price":null` and
        /// `"price_unknown":true` (and `"adopted":true` when reconciliation found it).
        case unpricedFill(UnpricedFill)
        case brokerRejected(OrderRejection)
        case guardRejected(GuardRejection)
        /// The order ended without (further) fills: canceled or expired; `reason` says which.
        case canceled(OrderRejection)
        /// An operator's command and the core's answer (the audit trail of halts and resumes).
        case command(CommandResult)

        public var eventName: String {
            switch self {
            case .intent: "intent"
            case .submitted: "submitted"
            case .filled, .adoptedFill, .unpricedFill: "filled"
            case .brokerRejected: "broker_rejected"
            case .guardRejected: "guard_rejected"
            case .canceled: "canceled"
            case .command: "command"
            }
        }
    }

    public var timestamp: Timestamp
    public var record: Record

    public init(timestamp: Timestamp, record: Record) {
        self.timestamp = timestamp
        self.record = record
    }

    /// The line, without its newline.
    public var jsonLine: String {
        var line = "{"
        field("ts", timestamp.rfc3339, to: &line, first: true)
        field("event", record.eventName, to: &line)
        switch record {
        case .intent(let intent):
            field("client_order_id", intent.clientOrderID, to: &line)
            field("symbol", intent.symbol.rawValue, to: &line)
            field("side", intent.side.rawValue, to: &line)
            field("quantity", intent.quantity.description, to: &line)
            field("limit_price", intent.limitPrice?.description, to: &line)
            field("created_at", intent.createdAt.rfc3339, to: &line)
            // The signal that caused it: the flow alert, the close rule, or both (a put alert's close).
            field("alert_id", intent.alertID, to: &line)
            field("rule", intent.closeRule?.rawValue, to: &line)
        case .submitted(let submission):
            field("client_order_id", submission.clientOrderID, to: &line)
            field("broker_order_id", submission.brokerOrderID, to: &line)
            field("symbol", submission.symbol.rawValue, to: &line)
            field("side", submission.side.rawValue, to: &line)
            field("quantity", submission.quantity.description, to: &line)
        case .filled(let fill), .adoptedFill(let fill):
            field("client_order_id", fill.clientOrderID, to: &line)
            field("symbol", fill.symbol.rawValue, to: &line)
            field("side", fill.side.rawValue, to: &line)
            field("quantity", fill.quantity.description, to: &line)
            field("price", fill.price.description, to: &line)
            line += ",\"complete\":\(fill.isComplete)"
            if case .adoptedFill = record { line += ",\"adopted\":true" }
        case .unpricedFill(let fill):
            field("client_order_id", fill.clientOrderID, to: &line)
            field("symbol", fill.symbol.rawValue, to: &line)
            field("side", fill.side.rawValue, to: &line)
            field("quantity", fill.quantity.description, to: &line)
            field("price", nil, to: &line)
            line += ",\"price_unknown\":true,\"complete\":\(fill.isComplete)"
            if fill.adopted { line += ",\"adopted\":true" }
        case .brokerRejected(let rejection), .canceled(let rejection):
            field("client_order_id", rejection.clientOrderID, to: &line)
            field("symbol", rejection.symbol.rawValue, to: &line)
            field("side", rejection.side.rawValue, to: &line)
            field("reason", rejection.reason, to: &line)
        case .guardRejected(let rejection):
            field("symbol", rejection.symbol, to: &line)
            field("side", rejection.side.rawValue, to: &line)
            field("quantity", rejection.quantity.description, to: &line)
            field("check", rejection.check, to: &line)
            field("limit", rejection.limit, to: &line)
            field("actual", rejection.actual, to: &line)
            field("message", rejection.message, to: &line)
        case .command(let result):
            line += ",\"id\":\(result.id)"
            field("command", result.command.description, to: &line)
            field("actor", result.actor.kind.rawValue, to: &line)
            field("actor_detail", result.actor.detail, to: &line)
            line += ",\"accepted\":\(result.accepted)"
            field("message", result.message, to: &line)
            if case .chaos(let mode, let on) = result.command {
                field("mode", mode.rawValue, to: &line)
                line += ",\"on\":\(on)"
            }
            if case .closePosition(let symbol) = result.command { field("symbol", symbol.rawValue, to: &line) }
        }
        line += "}"
        return line
    }

    private func field(_ key: String, _ value: String?, to line: inout String, first: Bool = false) {
        if !first { line += "," }
        JSON.appendString(key, to: &line)
        line += ":"
        if let value { JSON.appendString(value, to: &line) } else { line += "null" }
    }
}

extension OrderJournalEntry: Decodable {
    private enum Key: String, CodingKey {
        case ts, event, clientOrderID = "client_order_id", brokerOrderID = "broker_order_id", symbol, side, quantity
        case limitPrice = "limit_price", createdAt = "created_at", price, complete, adopted, reason, priceUnknown = "price_unknown", check, limit, actual, message
        case alertID = "alert_id", rule
        case commandID = "id", command, actor, actorDetail = "actor_detail", accepted, mode, chaosOn = "on"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        timestamp = try c.decode(Timestamp.self, forKey: .ts)
        let event = try c.decode(String.self, forKey: .event)
        func money(_ key: Key) throws -> Decimal {
            let exact = try c.decode(ExactDecimal.self, forKey: key)
            return exact.value
        }
        switch event {
        case "intent":
            record = .intent(
                OrderIntent(
                    clientOrderID: try c.decode(String.self, forKey: .clientOrderID), symbol: try c.decode(Symbol.self, forKey: .symbol),
                    side: try c.decode(OrderSide.self, forKey: .side), quantity: try money(.quantity),
                    limitPrice: try c.decodeNullable(ExactDecimal.self, forKey: .limitPrice)?.value,
                    createdAt: try c.decode(Timestamp.self, forKey: .createdAt),
                    // Absent from lines written before intents named their signal.
                    alertID: try c.decodeIfPresent(String.self, forKey: .alertID),
                    closeRule: try c.decodeIfPresent(CloseRule.self, forKey: .rule)))
        case "submitted":
            record = .submitted(
                OrderSubmission(
                    clientOrderID: try c.decode(String.self, forKey: .clientOrderID),
                    brokerOrderID: try c.decode(String.self, forKey: .brokerOrderID), symbol: try c.decode(Symbol.self, forKey: .symbol),
                    side: try c.decode(OrderSide.self, forKey: .side), quantity: try money(.quantity)))
        case "filled" where try c.decodeIfPresent(Bool.self, forKey: .priceUnknown) == true:
            record = .unpricedFill(
                UnpricedFill(
                    clientOrderID: try c.decode(String.self, forKey: .clientOrderID), symbol: try c.decode(Symbol.self, forKey: .symbol),
                    side: try c.decode(OrderSide.self, forKey: .side), quantity: try money(.quantity),
                    isComplete: try c.decode(Bool.self, forKey: .complete), adopted: try c.decodeIfPresent(Bool.self, forKey: .adopted) == true))
        case "filled":
            let fill = OrderFill(
                clientOrderID: try c.decode(String.self, forKey: .clientOrderID), symbol: try c.decode(Symbol.self, forKey: .symbol),
                side: try c.decode(OrderSide.self, forKey: .side), quantity: try money(.quantity), price: try money(.price),
                isComplete: try c.decode(Bool.self, forKey: .complete))
            record = try c.decodeIfPresent(Bool.self, forKey: .adopted) == true ? .adoptedFill(fill) : .filled(fill)
        case "broker_rejected", "canceled":
            let rejection = OrderRejection(
                clientOrderID: try c.decode(String.self, forKey: .clientOrderID), symbol: try c.decode(Symbol.self, forKey: .symbol),
                side: try c.decode(OrderSide.self, forKey: .side), reason: try c.decode(String.self, forKey: .reason))
            record = event == "canceled" ? .canceled(rejection) : .brokerRejected(rejection)
        case "guard_rejected":
            record = .guardRejected(
                GuardRejection(
                    symbol: try c.decode(String.self, forKey: .symbol), side: try c.decode(OrderSide.self, forKey: .side),
                    quantity: try money(.quantity), check: try c.decode(String.self, forKey: .check),
                    message: try c.decode(String.self, forKey: .message), limit: try c.decode(String.self, forKey: .limit),
                    actual: try c.decode(String.self, forKey: .actual)))
        case "command":
            let words = try c.decode(String.self, forKey: .command)
            record = .command(CommandResult(
                id: try c.decode(UInt64.self, forKey: .commandID), command: try Self.journalCommand(words, c),
                actor: CommandActor(
                    kind: try c.decode(CommandActor.Kind.self, forKey: .actor), detail: try c.decode(String.self, forKey: .actorDetail)),
                accepted: try c.decode(Bool.self, forKey: .accepted), message: try c.decode(String.self, forKey: .message)))
        default:
            throw DecodingError.dataCorruptedError(forKey: .event, in: c, debugDescription: "unknown order event \"\(event.prefix(40))\"")
        }
    }

    /// A command from its journal words (`ControlCommand.description`).
    private static func journalCommand(_ words: String, _ c: KeyedDecodingContainer<Key>) throws -> ControlCommand {
        switch words {
        case "halt": return .halt
        case "resume": return .resume
        case "reduce-only": return .reduceOnly
        case "flatten all": return .flattenAll
        case "quit": return .quit
        default:
            if words.hasPrefix("close ") { return .closePosition(try c.decode(Symbol.self, forKey: .symbol)) }
            guard words.hasPrefix("chaos ") else {
                throw DecodingError.dataCorruptedError(forKey: .command, in: c, debugDescription: "unknown command \"\(words.prefix(40))\"")
            }
            return .chaos(try c.decode(ChaosMode.self, forKey: .mode), on: try c.decode(Bool.self, forKey: .chaosOn))
        }
    }
}
