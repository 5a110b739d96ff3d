import Foundation
import Primitives

/// A fill the broker reported without its price (an order filled, `filled_avg_price` missing): journaled
/// as such, never skipped. It counts as a trade for the symbol's cooldown; the position and the realised
/// PnL come from the broker's positions at reconciliation, since the price is not known here.
public struct UnpricedFill: Hashable, Sendable {
    public var clientOrderID: String
    public var symbol: Symbol
    public var side: OrderSide
    public var quantity: Decimal
    public var isComplete: Bool
    /// Found by reconciliation.
    public var adopted: Bool

    public init(clientOrderID: String, symbol: Symbol, side: OrderSide, quantity: Decimal, isComplete: Bool, adopted: Bool) {
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.isComplete = isComplete
        self.adopted = adopted
    }
}
