import Foundation
import PaperExchange
import Primitives
import Testing

struct PriceWalkTests {
    /// The same seed gives the same walk; another seed gives another.
    @Test func deterministicForASeed() {
        func walk(seed: UInt64) -> [Decimal] {
            var walk = PriceWalk(startPrice: 190, seed: seed)
            return (0..<500).map { _ in
                walk.step()
                return walk.price
            }
        }
        #expect(walk(seed: 42) == walk(seed: 42))
        #expect(walk(seed: 42) != walk(seed: 43))
    }

    /// Prices stay in whole cents, at one dollar or more, with the ask above the bid around the price.
    @Test func quotesAreSane() {
        var walk = PriceWalk(startPrice: Decimal(string: "1.50")!, seed: 7, volatilityBasisPoints: 500)
        for _ in 0..<10_000 {
            walk.step()
            let quote = walk.quote
            #expect(walk.price >= 1)
            #expect(walk.price * 100 == Decimal(walk.cents))
            #expect(quote.ask > quote.bid)
            #expect(quote.bid <= walk.price && walk.price <= quote.ask)
        }
    }

    /// The generator's output matches the published SplitMix64 sequence for seed 0.
    @Test func splitMixReferenceValues() {
        var generator = SeededGenerator(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }
}

struct PriceWalkResumeTests {
    /// A walk rebuilt from its price and step count continues exactly as the original.
    @Test func resumesExactly() {
        var original = PriceWalk(startPrice: 250, seed: 99)
        for _ in 0..<1_000 { original.step() }
        var resumed = PriceWalk(cents: original.cents, steps: original.steps, seed: 99)
        for _ in 0..<1_000 {
            original.step()
            resumed.step()
            #expect(resumed.cents == original.cents)
        }
    }
}
