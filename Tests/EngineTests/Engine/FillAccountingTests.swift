import Engine
import Foundation
import Primitives
import Testing
import TradingModel

struct FillAccountingTests {
    private let aapl = Symbol("AAPL")!
    private let time = Timestamp.seconds(1_800_000_000)

    /// A fill on a flat symbol opens a position at the fill price.
    @Test func opens() {
        let result = FillAccounting.apply(side: .buy, quantity: 3, price: 100, to: nil, symbol: aapl, at: time)
        #expect(result.position == Position(symbol: aapl, quantity: 3, averageEntryPrice: 100, openedAt: time))
        #expect(result.realized == 0)
    }

    /// Adding to a position weights the average entry by size and keeps the opening time.
    @Test func grows() {
        let held = Position(symbol: aapl, quantity: 3, averageEntryPrice: 100, openedAt: .seconds(1))
        let result = FillAccounting.apply(side: .buy, quantity: 1, price: 104, to: held, symbol: aapl, at: time)
        #expect(result.position?.quantity == 4)
        #expect(result.position?.averageEntryPrice == 101)
        #expect(result.position?.openedAt == .seconds(1))
    }

    /// Selling part of a long realises PnL on that part; selling the rest closes it.
    @Test func shrinksAndCloses() {
        let held = Position(symbol: aapl, quantity: 4, averageEntryPrice: 100, openedAt: .seconds(1))
        let partial = FillAccounting.apply(side: .sell, quantity: 1, price: Decimal(string: "104.5")!, to: held, symbol: aapl, at: time)
        #expect(partial.position?.quantity == 3)
        #expect(partial.realized == Decimal(string: "4.5"))
        let closed = FillAccounting.apply(side: .sell, quantity: 3, price: 98, to: partial.position, symbol: aapl, at: time)
        #expect(closed.position == nil)
        #expect(closed.realized == -6)
        #expect(closed.changes == [.closed(PositionClose(symbol: aapl, closedQuantity: 3, exitPrice: 98, realizedPnL: -6))])
    }

    /// Covering a short realises PnL with the sign of a short.
    @Test func short() {
        let held = Position(symbol: aapl, quantity: -2, averageEntryPrice: 100, openedAt: .seconds(1))
        let covered = FillAccounting.apply(side: .buy, quantity: 2, price: 90, to: held, symbol: aapl, at: time)
        #expect(covered.position == nil)
        #expect(covered.realized == 20)
    }

    /// A fill through zero closes the position and opens the rest on the other side.
    @Test func throughZero() {
        let held = Position(symbol: aapl, quantity: 2, averageEntryPrice: 100, openedAt: .seconds(1))
        let result = FillAccounting.apply(side: .sell, quantity: 5, price: 110, to: held, symbol: aapl, at: time)
        #expect(result.realized == 20)
        #expect(result.position == Position(symbol: aapl, quantity: -3, averageEntryPrice: 110, openedAt: time))
        #expect(result.changes.count == 2)
    }
}
