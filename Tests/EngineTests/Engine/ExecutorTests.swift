@testable import Engine
import Foundation
@testable import Persistence
@testable import Primitives
@testable import Strategies
import TestSupport
import Testing
@testable import TradingModel

struct ExecutorTests {
    private struct Setup {
        let parts: ExecutionFixture
        var clock: ManualClock { parts.clock }
        var store: StateStore { parts.store }
        var journal: OrderJournal { parts.journal }
        var router: InMemoryOrderRouter { parts.router }
        var executor: OrderExecutor { parts.executor }
        var aapl: Symbol { parts.aapl }

        init(directory: String) throws {
            parts = try ExecutionFixture(directory: directory)
        }

        func market(bid: Decimal = Decimal(string: "99.99")!, ask: Decimal = Decimal(string: "100.01")!) -> MarketSnapshot {
            MarketSnapshot(account: AccountSnapshot(equity: 100_000, cash: 100_000, buyingPower: 100_000), quotes: [aapl: Quote(symbol: aapl, bid: bid, ask: ask, timestamp: clock.now)])
        }

        func run(_ action: StrategyAction) async throws -> OrderExecutor.Outcome {
            let executor = executor
            let market = market()
            return try await drive(clock) { await executor.execute(action, market: market) }
        }

        func journalEvents() throws -> [String] { try journal.read().entries.map(\.record.eventName) }
    }

    /// An entry goes intent → guard → submit → fill → saved position, journaled in that order, intent cleared.
    @Test func entryFills() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            let outcome = try await setup.run(.enter(symbol: setup.aapl, quantity: 3, limitPrice: Decimal(string: "100.12")!, reason: "test"))
            guard case .filled = outcome else {
                Issue.record("expected a fill, got \(outcome)")
                return
            }
            let state = setup.store.state
            #expect(state.positions[setup.aapl]?.quantity == 3)
            #expect(state.positions[setup.aapl]?.averageEntryPrice == 100)
            #expect(state.lastTradeAt[setup.aapl] != nil)
            #expect(state.pendingIntents.isEmpty)
            #expect(try setup.journalEvents() == ["intent", "submitted", "filled"])
            // Saved, not just in memory.
            let reopened = try StateStore(directory: directory + "/state", logger: LogCapture().logger)
            #expect(reopened.state.positions[setup.aapl]?.quantity == 3)
        }
    }

    /// An exit sells the whole position and realises PnL.
    @Test func exitRealisesPnL() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            _ = try await setup.run(.enter(symbol: setup.aapl, quantity: 3, limitPrice: 100, reason: "in"))
            setup.router.setBehaviour(.fill(at: 104))
            let outcome = try await setup.run(.exit(symbol: setup.aapl, reason: "take profit"))
            guard case .filled(let order) = outcome else {
                Issue.record("expected a fill, got \(outcome)")
                return
            }
            #expect(order.side == .sell && order.quantity == 3)
            #expect(setup.store.state.positions[setup.aapl] == nil)
            #expect(setup.store.state.realizedPnL == 12)
        }
    }

    /// A guard rejection is journaled, nothing is sent and the intent is dropped.
    @Test func guardRejection() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            let outcome = try await setup.run(.enter(symbol: setup.aapl, quantity: 10, limitPrice: 100, reason: "too big"))
            guard case .refusedByGuard(let rejection) = outcome else {
                Issue.record("expected a guard rejection, got \(outcome)")
                return
            }
            #expect(rejection.check == "max_position_size")
            #expect(setup.router.submitted.isEmpty)
            #expect(setup.store.state.pendingIntents.isEmpty)
            #expect(try setup.journalEvents() == ["intent", "guard_rejected"])
        }
    }

    /// A broker refusal is journaled and not retried; an order that rests is canceled after the timeout.
    @Test func refusalAndCancel() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            setup.router.setBehaviour(.refuse("insufficient buying power"))
            #expect(try await setup.run(.enter(symbol: setup.aapl, quantity: 1, limitPrice: 100, reason: "x")) == .refusedByBroker("insufficient buying power"))
            setup.router.setBehaviour(.rest)
            guard case .ended(let order) = try await setup.run(.enter(symbol: setup.aapl, quantity: 1, limitPrice: 100, reason: "x")) else {
                Issue.record("expected the resting order to end")
                return
            }
            #expect(order.status == .canceled)
            #expect(setup.router.canceled.count == 1)
            #expect(setup.store.state.pendingIntents.isEmpty)
            #expect(try setup.journalEvents() == ["intent", "broker_rejected", "intent", "submitted", "canceled"])
        }
    }

    /// A cancel the broker fails (an order that rested too long) is logged with its class, not swallowed;
    /// the order is followed on and, still open past the grace, its intent stays for reconciliation.
    @Test func failedCancelIsSaid() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            setup.router.setBehaviour(.rest)
            setup.router.setCancelFails(true)
            let outcome = try await setup.run(.enter(symbol: setup.aapl, quantity: 1, limitPrice: 100, reason: "x"))
            #expect(setup.router.canceled.isEmpty)
            #expect(setup.parts.log.contains("could not cancel an order that rested too long"), "\(outcome) \(setup.parts.log.lines)")
            #expect(setup.store.state.pendingIntents.count == 1, "\(outcome)")
        }
    }

    /// When the outcome is unknown the intent stays pending, for reconciliation.
    @Test func unresolvedKeepsTheIntent() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            setup.router.setBehaviour(.fail)
            guard case .unresolved = try await setup.run(.enter(symbol: setup.aapl, quantity: 1, limitPrice: 100, reason: "x")) else {
                Issue.record("expected unresolved")
                return
            }
            #expect(setup.store.state.pendingIntents.count == 1)
        }
    }

    /// Exiting a symbol with no position does nothing.
    @Test func exitWithoutPosition() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            #expect(try await setup.run(.exit(symbol: setup.aapl, reason: "x")) == .skipped("no position in AAPL"))
            #expect(try setup.journalEvents().isEmpty)
        }
    }
}

/// What the engine says it did is operator text.
struct OperatorTextTests {
    /// Outcomes and actions describe themselves in plain English: no `Optional(`, no module-qualified type
    /// names (the log said "filled(TradingCore.BrokerOrder(… Optional(185.82)").
    @Test func outcomesAndActionsAreOperatorText() {
        let aapl = Symbol("AAPL")!
        let order = BrokerOrder(
            clientOrderID: "c-1", brokerOrderID: "b-1", symbol: aapl, side: .buy, quantity: 3, filledQuantity: 3,
            filledAveragePrice: Decimal(string: "185.82"), limitPrice: Decimal(string: "186"), status: .filled)
        var resting = order
        resting.filledQuantity = 0
        resting.filledAveragePrice = nil
        resting.status = .canceled
        let texts = [
            "\(OrderExecutor.Outcome.filled(order))", "\(OrderExecutor.Outcome.ended(resting))", "\(OrderExecutor.Outcome.refusedByBroker("insufficient qty"))",
            "\(StrategyAction.enter(symbol: aapl, quantity: 3, limitPrice: Decimal(string: "186")!, reason: "call alert a1"))",
            "\(StrategyAction.exitAtLimit(symbol: aapl, limitPrice: 190, reason: "take profit"))",
        ]
        #expect(texts[0] == "filled: bought 3 AAPL at 185.82, filled (client order c-1)")
        #expect(texts[3] == "buy 3 AAPL at no more than 186 (call alert a1)")
        let healed = StateStore.LoadOutcome.healed(StateHealing(backupPath: "state/trading_state.json.corrupt-1", problem: "not JSON"))
        #expect("\(healed)".contains("set aside at state/trading_state.json.corrupt-1"))
        #expect(!"\(healed)".contains("StateHealing("))
        for text in texts {
            #expect(!text.contains("Optional("), "\(text)")
            for module in ["Primitives.", "TradingModel.", "Persistence.", "Engine.", "Strategies."] {
                #expect(!text.contains(module), "\(text)")
            }
            #expect(!text.contains("BrokerOrder("), "\(text)")
        }
    }
}
