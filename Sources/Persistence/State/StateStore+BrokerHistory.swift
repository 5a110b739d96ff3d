import Foundation
import Primitives
import Synchronization
import TradingModel

/// A state that lost its own record of trades (none on disk, set aside as corrupt, migrated) takes the
/// cooldowns from the order journal at load (`StateStore+History`), and from the broker's order history
/// at the next reconciliation, before trading: so a cooldown is kept, and an alert acted on is not acted on
/// again (its order's client order id names it), even when the journal lost lines.
extension StateStore.LoadReport {
    /// Loaded without the state's own record of trades: fresh, healed or migrated.
    public var lostItsRecord: Bool {
        if case .loaded = outcome { return false }
        return true
    }
}

extension StateStore {
    /// Whether the broker's order history is still to be read into the cooldowns (see above).
    public var brokerHistoryOwed: Bool { inner.withLock { $0.brokerHistoryOwed } }

    /// The broker's order history was read into the state (and saved with it).
    func brokerHistoryTaken() {
        inner.withLock { $0.brokerHistoryOwed = false }
    }
}

extension PersistentState {
    /// The later fill time per symbol of Bulwark's own filled orders in `orders` (the broker's history),
    /// merged into the cooldowns; the symbols whose cooldown it moved.
    /// The alerts that Bulwark's own orders in `orders` name (their client order ids say which alert caused
    /// them) are marked processed, whether the order filled or not: it was sent, so the alert was acted on.
    @discardableResult
    mutating func mergeTradeTimes(from orders: [BrokerOrder], now: Timestamp) -> [Symbol] {
        for order in orders {
            guard let alertID = OrderIntent.alertID(inClientOrderID: order.clientOrderID) else { continue }
            markProcessed(alertID, at: order.filledAt ?? now)
        }
        var moved: [Symbol] = []
        for order in orders where order.filledQuantity > 0 && OrderIntent.isBulwarks(order.clientOrderID) {
            guard let filledAt = order.filledAt else { continue }
            if lastTradeAt[order.symbol].map({ $0 < filledAt }) ?? true {
                lastTradeAt[order.symbol] = filledAt
                moved.append(order.symbol)
            }
        }
        return moved
    }
}
