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

    static func fetch(from broker: any Broker, resolving clientOrderIDs: [String]) async throws -> BrokerSnapshot {
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
        return BrokerSnapshot(account: account, positions: positions, openOrders: openOrders, resolved: resolved)
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
