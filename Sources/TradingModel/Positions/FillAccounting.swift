import Foundation
import Primitives

/// How a fill changes a position and the realised PnL. Pure: the executor applies the result to the
/// state store in one update.
public enum FillAccounting {
    public enum Change: Hashable, Sendable {
        case opened(Position)
        case changed(Position)
        case closed(PositionClose)
    }

    /// Applies `quantity` filled at `price` on `side` to `position` (nil when flat). Returns the new
    /// position (nil when flat), the PnL this fill realised, and what happened, for events.
    public static func apply(
        side: OrderSide, quantity: Decimal, price: Decimal, to position: Position?, symbol: Symbol, at time: Timestamp
    ) -> (position: Position?, realized: Decimal, changes: [Change]) {
        let signed = side == .buy ? quantity : -quantity
        guard let position, position.quantity != 0 else {
            let opened = Position(symbol: symbol, quantity: signed, averageEntryPrice: price, openedAt: time)
            return (opened, 0, [.opened(opened)])
        }
        let held = position.quantity
        if (held > 0) == (signed > 0) {
            // Growing: the average entry is weighted by size.
            var grown = position
            grown.quantity = held + signed
            grown.averageEntryPrice = (held.magnitude * position.averageEntryPrice + quantity * price) / grown.quantity.magnitude
            return (grown, 0, [.changed(grown)])
        }
        // Shrinking: PnL is realised on the part closed.
        let closing = min(quantity, held.magnitude)
        let direction: Decimal = held > 0 ? 1 : -1
        let realized = (price - position.averageEntryPrice) * closing * direction
        let remaining = held + signed
        if remaining == 0 {
            return (nil, realized, [.closed(PositionClose(symbol: symbol, closedQuantity: closing, exitPrice: price, realizedPnL: realized))])
        }
        if (remaining > 0) == (held > 0) {
            var shrunk = position
            shrunk.quantity = remaining
            return (shrunk, realized, [.changed(shrunk)])
        }
        // Through zero (the guard refuses this, but a broker fill is a fact): close, then open the rest.
        let opened = Position(symbol: symbol, quantity: remaining, averageEntryPrice: price, openedAt: time)
        return (opened, realized, [.closed(PositionClose(symbol: symbol, closedQuantity: closing, exitPrice: price, realizedPnL: realized)), .opened(opened)])
    }
}
