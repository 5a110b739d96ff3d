import Foundation
import Primitives
import TradingModel

/// Everything one reconciliation reads from the broker, fetched before anything local changes.
struct BrokerSnapshot: Sendable {
    var account: AccountSnapshot
    var positions: [BrokerPosition]
    var openOrders: [BrokerOrder]
    /// Each pending intent's client order id with the broker's order, or `nil` if the broker never got it;
    /// in the order of the intents.
    var resolved: [(String, BrokerOrder?)]
    /// The orders that ended since a bound, when asked for (a state that lost its record of trades).
    var history: [BrokerOrder]? = nil

    static func fetch(from broker: any Broker, resolving clientOrderIDs: [String], historyAfter: Timestamp? = nil) async throws -> BrokerSnapshot {
        let account = try await broker.account()
        let positions = try await broker.positions()
        let openOrders = try await broker.openOrders()
        var open: [String: BrokerOrder] = [:]
        for order in openOrders where open[order.clientOrderID] == nil {
            open[order.clientOrderID] = order
        }
        var resolved: [(String, BrokerOrder?)] = []
        for clientOrderID in clientOrderIDs {
            if let order = open[clientOrderID] {
                resolved.append((clientOrderID, order))
            } else {
                resolved.append((clientOrderID, try await broker.order(clientOrderID: clientOrderID)))
            }
        }
        var history: [BrokerOrder]?
        if let historyAfter { history = try await broker.closedOrders(after: historyAfter) }
        return BrokerSnapshot(account: account, positions: positions, openOrders: openOrders, resolved: resolved, history: history)
    }

    /// The first thing in the broker's answer that cannot be right, or `nil`.
    func contractViolation() -> String? {
        var seen: Set<Symbol> = []
        for position in positions {
            if position.quantity.isNaN { return "position \(position.symbol) has no quantity" }
            if !position.quantity.isZero, position.averageEntryPrice.isNaN || position.averageEntryPrice <= 0 {
                return "position \(position.symbol) has average entry price \(position.averageEntryPrice)"
            }
            if !seen.insert(position.symbol).inserted { return "position \(position.symbol) is listed twice" }
        }
        for (clientOrderID, order) in resolved {
            if let order, order.clientOrderID != clientOrderID {
                return "asked for order \(clientOrderID), got \(order.clientOrderID)"
            }
        }
        return nil
    }
}
