import TradingCore

import Foundation

/// A seeded random walk of one symbol's price, in whole cents, with a bid/ask spread around it.
public struct PriceWalk: Sendable {
    public struct Quote: Hashable, Sendable {
        public var bid: Decimal
        public var ask: Decimal
        public var mid: Decimal { (bid + ask) / 2 }
    }

    /// The price in cents; never below one dollar.
    public private(set) var cents: Int64
    /// Largest move per step, in basis points of the price.
    public let volatilityBasisPoints: Int64
    /// Spread between bid and ask, in basis points of the price (at least one cent).
    public let spreadBasisPoints: Int64
    private var generator: SeededGenerator

    public init(startPrice: Decimal, seed: UInt64, volatilityBasisPoints: Int64 = 10, spreadBasisPoints: Int64 = 4) {
        precondition(startPrice >= 1, "a walk starts at one dollar or more")
        self.cents = NSDecimalNumber(decimal: startPrice * 100).int64Value
        self.volatilityBasisPoints = volatilityBasisPoints
        self.spreadBasisPoints = spreadBasisPoints
        self.generator = SeededGenerator(seed: seed)
    }

    public var price: Decimal { Decimal(cents) / 100 }

    public var quote: Quote {
        let spread = max(1, cents * spreadBasisPoints / 10_000)
        let bid = cents - spread / 2
        return Quote(bid: Decimal(bid) / 100, ask: Decimal(bid + spread) / 100)
    }

    /// Moves the price one step: up or down by up to `volatilityBasisPoints`, in whole cents.
    public mutating func step() {
        let maxMove = max(1, cents * volatilityBasisPoints / 10_000)
        let move = Int64.random(in: -maxMove...maxMove, using: &generator)
        cents = max(100, cents + move)
    }
}
