
import Foundation
import Primitives

/// A seeded random walk of one symbol's price, in whole cents, with a bid/ask spread around it.
///
/// Each step draws from a generator keyed by the seed and the step number, so a walk is fully described
/// by its seed, price and step count: it can be saved, restored and continued exactly.
public struct PriceWalk: Sendable, Hashable {
    public struct Quote: Hashable, Sendable {
        public var bid: Decimal
        public var ask: Decimal
        public var mid: Decimal { (bid + ask) / 2 }
    }

    /// The price in cents; never below one dollar.
    public private(set) var cents: Int64
    /// How many steps the walk has taken.
    public private(set) var steps: UInt64
    public let seed: UInt64
    /// Largest move per step, in basis points of the price.
    public let volatilityBasisPoints: Int64
    /// Spread between bid and ask, in basis points of the price (at least one cent).
    public let spreadBasisPoints: Int64

    public init(startPrice: Decimal, seed: UInt64, volatilityBasisPoints: Int64 = 10, spreadBasisPoints: Int64 = 4) {
        precondition(startPrice >= 1, "a walk starts at one dollar or more")
        self.init(
            cents: NSDecimalNumber(decimal: startPrice * 100).int64Value, steps: 0, seed: seed,
            volatilityBasisPoints: volatilityBasisPoints, spreadBasisPoints: spreadBasisPoints)
    }

    /// Resumes a walk at `cents` after `steps` steps.
    public init(cents: Int64, steps: UInt64, seed: UInt64, volatilityBasisPoints: Int64 = 10, spreadBasisPoints: Int64 = 4) {
        self.cents = max(100, cents)
        self.steps = steps
        self.seed = seed
        self.volatilityBasisPoints = volatilityBasisPoints
        self.spreadBasisPoints = spreadBasisPoints
    }

    public var price: Decimal { Decimal(cents) / 100 }

    /// Bid and ask in cents.
    public var quoteCents: (bid: Int64, ask: Int64) {
        let spread = max(1, cents * spreadBasisPoints / 10_000)
        let bid = cents - spread / 2
        return (bid, bid + spread)
    }

    public var quote: Quote {
        let (bid, ask) = quoteCents
        return Quote(bid: Decimal(bid) / 100, ask: Decimal(ask) / 100)
    }

    /// Moves the price one step: up or down by up to `volatilityBasisPoints`, in whole cents.
    public mutating func step() {
        var generator = Mixing.generator(seed, steps)
        let maxMove = max(1, cents * volatilityBasisPoints / 10_000)
        let move = Int64.random(in: -maxMove...maxMove, using: &generator)
        cents = max(100, cents + move)
        steps += 1
    }
}
