@testable import Engine
import Foundation
@testable import Persistence
@testable import Primitives
@testable import RiskGuard
@testable import Strategies
import TestSupport
import Testing
@testable import TradingModel

/// No order goes out unrecorded.
struct UnrecordedOrderTests {
    /// An order whose intent cannot be journaled is not sent, even before any hold is in force (the
    /// journal is not linked to the store here): the intent leaves the pending list, the batch ends, and
    /// once the journal writes again its kept lines say the intent was canceled, not sent.
    @Test func intentNotJournaledIsNotSent() async throws {
        try await withTemporaryDirectory { directory in
            let parts = try ExecutionFixture(directory: directory)
            let journal = try OrderJournal(path: directory + "/logs/orders.jsonl", maximumBytes: 1, clock: parts.clock, logger: parts.log.logger)
            let obstacle = JournalObstacle(journal)
            let gate = OrderGate(tradeGuard: TradeGuard(limits: ExecutionFixture.defaultLimits), journal: journal, bus: parts.bus, logger: parts.log.logger)
            let executor = OrderExecutor(
                store: parts.store, router: parts.router, gate: gate, journal: journal, bus: parts.bus, clock: parts.clock, logger: parts.log.logger,
                settings: .init(followInterval: .milliseconds(100), followTimeout: .seconds(2)))
            try journal.append(.command(CommandResult(id: 1, command: .resume, actor: .console, accepted: true, message: "first line")))
            try obstacle.place()

            let market = MarketSnapshot(
                account: AccountSnapshot(equity: 100_000, cash: 100_000, buyingPower: 100_000),
                quotes: [parts.aapl: Quote(symbol: parts.aapl, bid: 100, ask: Decimal(string: "100.02")!, timestamp: parts.clock.now)])
            let action = StrategyAction.enter(symbol: parts.aapl, quantity: 3, limitPrice: Decimal(string: "100.12")!, reason: "test")
            let outcome = try await drive(parts.clock) { await executor.execute(action, market: market) }
            guard case .notSent(let reason, let endsBatch) = outcome else {
                Issue.record("expected the order not to be sent, got \(outcome)")
                return
            }
            #expect(endsBatch)
            #expect(reason.contains("FAILED_JOURNAL"))
            #expect(parts.router.submitAttempts == 0, "nothing reached the broker")
            #expect(parts.store.state.pendingIntents.isEmpty)

            try obstacle.remove()
            #expect(try journal.retryPending())
            #expect(try obstacle.entriesOnDisk().map(\.record.eventName) == ["command", "intent", "canceled"])
        }
    }

    /// A ledger that reads like the store but cannot write: the disk under the state file is gone.
    final class UnwritableLedger: StateLedger {
        let store: StateStore
        init(_ store: StateStore) { self.store = store }
        var state: PersistentState { store.state }
        func update<T: Sendable>(_ change: (inout PersistentState) -> T) throws(StateStoreError) -> T {
            throw StateStoreError(code: .writeFailed, message: "state/trading_state.json: no space left on device")
        }
    }

    /// An order whose intent cannot be saved is not sent: the executor talks to the state through
    /// `StateLedger`, and a ledger whose `update` throws keeps the order from the broker.
    @Test func intentNotSavedIsNotSent() async throws {
        try await withTemporaryDirectory { directory in
            let parts = try ExecutionFixture(directory: directory)
            let gate = OrderGate(tradeGuard: TradeGuard(limits: ExecutionFixture.defaultLimits), journal: parts.journal, bus: parts.bus, logger: parts.log.logger)
            let executor = OrderExecutor(
                ledger: UnwritableLedger(parts.store), router: parts.router, gate: gate, journal: parts.journal, bus: parts.bus,
                clock: parts.clock, logger: parts.log.logger, sendGate: SendGate(store: parts.store, logger: parts.log.logger))
            let market = MarketSnapshot(
                account: AccountSnapshot(equity: 100_000, cash: 100_000, buyingPower: 100_000),
                quotes: [parts.aapl: Quote(symbol: parts.aapl, bid: 100, ask: Decimal(string: "100.02")!, timestamp: parts.clock.now)])
            let action = StrategyAction.enter(symbol: parts.aapl, quantity: 3, limitPrice: Decimal(string: "100.12")!, reason: "test")
            let outcome = try await drive(parts.clock) { await executor.execute(action, market: market) }
            guard case .skipped(let reason) = outcome else {
                Issue.record("expected nothing done, got \(outcome)")
                return
            }
            #expect(reason.contains("intent not saved") && reason.contains("no space left on device"), "\(reason)")
            #expect(parts.router.submitAttempts == 0, "nothing reached the broker")
        }
    }
}
