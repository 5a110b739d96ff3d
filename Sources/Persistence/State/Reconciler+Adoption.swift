import Foundation
import Primitives
import TradingModel

/// A pending intent the broker knows: its order as the reconciliation found it.
public struct AdoptedOrder: Hashable, Sendable {
    public var intent: OrderIntent
    public var order: BrokerOrder

    public init(intent: OrderIntent, order: BrokerOrder) {
        self.intent = intent
        self.order = order
    }
}

/// What becomes of an adopted order. One that has ended is settled by the reconciliation itself: its
/// fills are in the broker's positions, which the state takes, and its end is journaled once (a `filled`
/// line marked `"adopted": true`, or a `canceled` / `broker_rejected` one), as the intent leaves the
/// state, so a second reconciliation finds nothing to journal. One still open is handed to the engine to
/// be followed like any other order (`takeOrdersToFollow()`); what of it has filled so far is left out of
/// the positions until it is settled, so that fill is counted once, when the order ends.
extension Reconciler {
    /// The journal line for an adopted order that has ended: a fill marked adopted (one the broker
    /// reported without a price says so), or its end without a fill.
    static func journalRecord(forEnded adopted: AdoptedOrder) -> OrderJournalEntry.Record {
        let (intent, order) = (adopted.intent, adopted.order)
        if order.filledQuantity > 0 {
            guard let price = order.filledAveragePrice else {
                return .unpricedFill(
                    UnpricedFill(
                        clientOrderID: intent.clientOrderID, symbol: intent.symbol, side: intent.side, quantity: order.filledQuantity,
                        isComplete: order.status == .filled, adopted: true))
            }
            return .adoptedFill(
                OrderFill(
                    clientOrderID: intent.clientOrderID, symbol: intent.symbol, side: intent.side, quantity: order.filledQuantity, price: price,
                    isComplete: order.status == .filled))
        }
        let ended = OrderRejection(
            clientOrderID: intent.clientOrderID, symbol: intent.symbol, side: intent.side, reason: "\(order.status.rawValue) (found by reconciliation)")
        return order.status == .rejected ? .brokerRejected(ended) : .canceled(ended)
    }

    /// The broker's position for `intent`'s symbol as it was before the part of `order` (still open) that
    /// has filled: that part is applied when the order is settled. `local` is Bulwark's own position,
    /// kept when it already is that (the usual case while the order is followed).
    static func excludingOpenFill(
        of order: BrokerOrder, intent: OrderIntent, from position: BrokerPosition?, local: Position?
    ) -> BrokerPosition? {
        guard order.filledQuantity > 0, let price = order.filledAveragePrice else { return position }
        let after = position?.quantity ?? 0
        let filled = intent.side == .buy ? order.filledQuantity : -order.filledQuantity
        let before = after - filled
        guard !before.isZero else { return nil }
        if let local, local.quantity == before {
            return BrokerPosition(symbol: intent.symbol, quantity: before, averageEntryPrice: local.averageEntryPrice)
        }
        var average = local?.averageEntryPrice ?? price
        if let position, !after.isZero, (before > 0) == (after > 0) {
            if before.magnitude > after.magnitude {
                // The order shrank the position: what is left kept its average price.
                average = position.averageEntryPrice
            } else {
                // The order grew it: its fill is taken out of the average.
                let earlier = (after * position.averageEntryPrice - filled * price) / before
                average = earlier > 0 ? earlier : position.averageEntryPrice
            }
        }
        return BrokerPosition(symbol: intent.symbol, quantity: before, averageEntryPrice: average)
    }
}
