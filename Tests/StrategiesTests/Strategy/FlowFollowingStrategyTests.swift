import Foundation
import Primitives
import Strategies
import Testing

struct FlowFollowingStrategyTests {
    private let now = Timestamp(rfc3339: "2026-01-05T15:00:00Z")!
    private let aapl = Symbol("AAPL")!
    private let strategy = FlowFollowingStrategy()

    private func signal(_ kind: FlowSignal.Kind = .call, premium: Decimal = 150_000, askShare: Decimal? = Decimal(string: "0.7")!, symbol: String = "AAPL") -> FlowSignal {
        FlowSignal(id: "a1", symbol: Symbol(symbol)!, kind: kind, totalPremium: premium, askSideShare: askShare, createdAt: now)
    }

    private func context(positions: [Position] = [], bid: Decimal = Decimal(string: "99.99")!, ask: Decimal = Decimal(string: "100.01")!, open: Bool = true) -> StrategyContext {
        StrategyContext(
            positions: Dictionary(uniqueKeysWithValues: positions.map { ($0.symbol, $0) }),
            quotes: [aapl: Quote(symbol: aapl, bid: bid, ask: ask, timestamp: now)], marketOpen: open, now: now)
    }

    /// A strong call alert on a flat symbol buys ORDER_NOTIONAL_USD worth in whole shares at the ask plus slippage.
    @Test func entry() {
        let actions = strategy.actions(for: signal(), in: context())
        // limit = 100.01 × 1.001 = 100.11001 → 100.12 (rounded up to the cent); 400 / 100.12 → 3 shares.
        #expect(actions == [.enter(symbol: aapl, quantity: 3, limitPrice: Decimal(string: "100.12")!, reason: ActionReason("call flow a1: premium 150000", alertID: "a1"))])
    }

    /// The entry thresholds are inclusive, and anything below them, a put, a closed market, an open position,
    /// a symbol off the watchlist or a missing quote means no entry.
    @Test func noEntry() {
        #expect(!strategy.actions(for: signal(premium: 100_000, askShare: Decimal(string: "0.6")!), in: context()).isEmpty)
        #expect(strategy.actions(for: signal(premium: 99_999), in: context()).isEmpty)
        #expect(strategy.actions(for: signal(askShare: Decimal(string: "0.59")!), in: context()).isEmpty)
        #expect(strategy.actions(for: signal(askShare: nil), in: context()).isEmpty)
        #expect(strategy.actions(for: signal(.put), in: context()).isEmpty)
        #expect(strategy.actions(for: signal(), in: context(open: false)).isEmpty)
        #expect(strategy.actions(for: signal(), in: context(positions: [Position(symbol: aapl, quantity: 1, averageEntryPrice: 100, openedAt: now)])).isEmpty)
        #expect(strategy.actions(for: signal(symbol: "MSFT"), in: context()).isEmpty)
        let watching = FlowFollowingStrategy(settings: .init(watchlist: [Symbol("MSFT")!]))
        #expect(watching.actions(for: signal(), in: context()).isEmpty)
        let expensive = FlowFollowingStrategy(settings: .init(orderNotional: 50))
        #expect(expensive.actions(for: signal(), in: context()).isEmpty)
    }

    /// Every strong call that buys nothing says why (a share dearer than ORDER_NOTIONAL_USD among them: the
    /// demo's SPY, META, QQQ and MSFT were dropped in silence); one that buys, or a weak one, says nothing.
    @Test func noEntrySaysWhy() {
        #expect(strategy.reasonForNoEntry(signal(), in: context()) == nil)
        #expect(strategy.reasonForNoEntry(signal(premium: 99_999), in: context()) == nil)
        #expect(strategy.reasonForNoEntry(signal(.put), in: context()) == nil)
        #expect(strategy.reasonForNoEntry(signal(), in: context(open: false)) == "the market is closed")
        let held = context(positions: [Position(symbol: aapl, quantity: 1, averageEntryPrice: 100, openedAt: now)])
        #expect(strategy.reasonForNoEntry(signal(), in: held) == "AAPL is already held (1 share)")
        #expect(strategy.reasonForNoEntry(signal(symbol: "MSFT"), in: context()) == "no quote for MSFT")
        let watching = FlowFollowingStrategy(settings: .init(watchlist: [Symbol("MSFT")!]))
        #expect(watching.reasonForNoEntry(signal(), in: context()) == "AAPL is not on SYMBOL_WATCHLIST")
        let expensive = FlowFollowingStrategy(settings: .init(orderNotional: 50))
        #expect(expensive.reasonForNoEntry(signal(), in: context()) == "one share of AAPL at 100.12 costs more than ORDER_NOTIONAL_USD=50")
        // Exactly one share's worth buys one share: nothing to explain.
        let exact = FlowFollowingStrategy(settings: .init(orderNotional: Decimal(string: "100.12")!))
        #expect(!exact.actions(for: signal(), in: context()).isEmpty)
        #expect(exact.reasonForNoEntry(signal(), in: context()) == nil)
    }

    /// A strong put alert on a held long closes it.
    @Test func putExit() {
        let held = context(positions: [Position(symbol: aapl, quantity: 3, averageEntryPrice: 100, openedAt: now)])
        #expect(strategy.actions(for: signal(.put), in: held) == [.exit(symbol: aapl, reason: ActionReason("put flow a1: premium 150000", rule: .putSignal, alertID: "a1"))])
        #expect(strategy.actions(for: signal(.put, premium: 10), in: held).isEmpty)
    }

    /// Take profit, stop loss and maximum hold time, each at its boundary.
    @Test func tickExits() {
        let position = Position(symbol: aapl, quantity: 3, averageEntryPrice: 100, openedAt: now.advanced(by: .seconds(-600)))
        func exits(bid: String) -> [StrategyAction] {
            strategy.actions(onTickIn: context(positions: [position], bid: Decimal(string: bid)!, ask: Decimal(string: bid)! + 1))
        }
        #expect(exits(bid: "104") == [.exitAtLimit(symbol: aapl, limitPrice: 104, reason: ActionReason("take profit at 104", rule: .takeProfit))])
        #expect(exits(bid: "103.99").isEmpty)
        #expect(exits(bid: "98") == [.exit(symbol: aapl, reason: ActionReason("stop loss at 98", rule: .stopLoss))])
        #expect(exits(bid: "98.01").isEmpty)
        var old = position
        old.openedAt = now.advanced(by: .seconds(-7200))
        #expect(strategy.actions(onTickIn: context(positions: [old])) == [.exit(symbol: aapl, reason: ActionReason("held longer than 120 minutes", rule: .maxHold))])
        old.openedAt = now.advanced(by: .seconds(-7199))
        #expect(strategy.actions(onTickIn: context(positions: [old])).isEmpty)
    }
}
