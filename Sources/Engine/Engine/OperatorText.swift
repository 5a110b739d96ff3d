import Foundation
import Persistence
import Strategies
import TradingModel
import Primitives

// Plain-English descriptions of what the engine did, for the log and the events: an operator reads
// "filled: bought 3 AAPL at 185.82", never "filled(TradingCore.BrokerOrder(… Optional(185.82)".

extension StrategyAction: CustomStringConvertible {
    public var description: String {
        switch self {
        case .enter(let symbol, let quantity, let limitPrice, let reason):
            "buy \(quantity) \(symbol) at no more than \(limitPrice) (\(reason))"
        case .exit(let symbol, let reason):
            "close \(symbol) at the market (\(reason))"
        case .exitAtLimit(let symbol, let limitPrice, let reason):
            "close \(symbol) at no worse than \(limitPrice) (\(reason))"
        }
    }
}

extension BrokerOrder: CustomStringConvertible {
    /// "bought 3 AAPL at 185.82, filled (client order bw-…)", by the id the journal keys on; an order with
    /// no fill gives no price.
    public var description: String {
        let verb = side == .buy ? "bought" : "sold"
        let done = filledQuantity == quantity ? "\(quantity)" : "\(filledQuantity) of \(quantity)"
        let price = filledAveragePrice.map { " at \($0)" } ?? ""
        return "\(verb) \(done) \(symbol)\(price), \(status.rawValue) (client order \(clientOrderID))"
    }
}

extension OrderExecutor.Outcome: CustomStringConvertible {
    public var description: String {
        switch self {
        case .filled(let order): "filled: \(order)"
        case .refusedByGuard(let rejection): "refused by the trade guard (\(rejection.check)): \(rejection.message)"
        case .refusedByBroker(let reason): "refused by the broker: \(reason)"
        case .ended(let order): "ended with no fill: \(order.side.rawValue) \(order.quantity) \(order.symbol), \(order.status.rawValue) (client order \(order.clientOrderID))"
        case .skipped(let reason): "nothing done: \(reason)"
        case .unresolved(let reason): "outcome unknown, left to reconciliation: \(reason)"
        case .notSent(let reason, _): "not sent: \(reason)"
        }
    }
}

extension StateStore.LoadOutcome: CustomStringConvertible {
    /// What loading the state file found, for the start-up step's line: "loaded (saved 2026-…)", never
    /// "healed(TradingCore.StateHealing(backupPath: …".
    public var description: String {
        switch self {
        case .fresh: "no state file; starting empty"
        case .loaded(let savedAt): "loaded (saved \(savedAt.rfc3339))"
        case .migrated(let version, let backupPath): "migrated from schema version \(version); the original is kept at \(backupPath)"
        case .healed(let healing): "the state file was unusable (\(healing.problem)) and was set aside at \(healing.backupPath); starting empty"
        }
    }
}
