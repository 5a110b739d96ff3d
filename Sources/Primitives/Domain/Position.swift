import Foundation

/// An open position as Bulwark holds it. `quantity` is signed: positive long, negative short.
public struct Position: Hashable, Sendable, Codable {
    public var symbol: Symbol
    public var quantity: Decimal
    public var averageEntryPrice: Decimal
    public var openedAt: Timestamp

    public init(symbol: Symbol, quantity: Decimal, averageEntryPrice: Decimal, openedAt: Timestamp) {
        self.symbol = symbol
        self.quantity = quantity
        self.averageEntryPrice = averageEntryPrice
        self.openedAt = openedAt
    }
}
