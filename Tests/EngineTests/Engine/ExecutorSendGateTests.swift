@testable import Engine
import Foundation
@testable import Persistence
@testable import Primitives
@testable import Strategies
@testable import TradingModel
import TestSupport
import Testing

/// The executor's send gate: the check immediately before every submit, and the stop.
struct ExecutorSendGateTests {
    private static func market(_ parts: ExecutionFixture) -> MarketSnapshot {
        MarketSnapshot(
            account: AccountSnapshot(equity: 100_000, cash: 100_000, buyingPower: 100_000),
            quotes: [parts.aapl: Quote(symbol: parts.aapl, bid: Decimal(string: "99.99")!, ask: Decimal(string: "100.01")!, timestamp: parts.clock.now)])
    }

    private static let entry = StrategyAction.enter(symbol: Symbol("AAPL")!, quantity: 1, limitPrice: 100, reason: "test")

    /// With state/HALT present nothing is sent: the intent leaves the pending list, the order is journaled
    /// as canceled with the reason and published, trading is held HALTED, and the outcome ends the batch.
    @Test func killSwitchStopsTheOrderBeforeSubmit() async throws {
        try await withTemporaryDirectory { directory in
            let parts = try ExecutionFixture(directory: directory)
            #expect(FileManager.default.createFile(atPath: parts.store.directory + "/" + KillSwitch.fileName, contents: nil))
            let executor = parts.executor
            let market = Self.market(parts)
            let outcome = try await drive(parts.clock) { await executor.execute(Self.entry, market: market) }
            guard case .notSent(let reason, endsBatch: true) = outcome else {
                Issue.record("expected not sent, got \(outcome)")
                return
            }
            #expect(reason.contains("kill switch"))
            #expect(parts.router.submitAttempts == 0)
            #expect(parts.store.state.pendingIntents.isEmpty)
            #expect(parts.store.tradingState.mode == .halted)
            let entries = try parts.journal.read().entries
            #expect(entries.map(\.record.eventName) == ["intent", "canceled"])
            if case .canceled(let rejection) = entries.last?.record { #expect(rejection.reason == reason) }
            parts.bus.finish()
            var published: [OrderRejection] = []
            for await event in parts.events { if case .orderRejected(let rejection) = event.kind { published.append(rejection) } }
            #expect(published.map(\.reason) == [reason])
        }
    }

    /// HALTED by the operator: the send gate refuses before the guard (one canceled entry, no guard
    /// rejection), with the reason "not sent: trading HALTED".
    @Test func haltedIsNotSentRatherThanGuardRejected() async throws {
        try await withTemporaryDirectory { directory in
            let parts = try ExecutionFixture(directory: directory)
            try parts.store.choose(.halted, reason: "halted by the operator")
            let executor = parts.executor
            let market = Self.market(parts)
            let outcome = try await drive(parts.clock) { await executor.execute(Self.entry, market: market) }
            guard case .notSent(let reason, endsBatch: true) = outcome else {
                Issue.record("expected not sent, got \(outcome)")
                return
            }
            #expect(reason.hasPrefix("not sent: trading HALTED"))
            #expect(try parts.journal.read().entries.map(\.record.eventName) == ["intent", "canceled"])
            #expect(parts.router.submitAttempts == 0)
        }
    }

    /// A stop while an order rests: following stops at once, the order is not canceled, its intent stays
    /// pending for reconciliation; and nothing new is sent afterwards.
    @Test func stopLeavesARestingOrderPending() async throws {
        try await withTemporaryDirectory { directory in
            let parts = try ExecutionFixture(directory: directory)
            parts.router.setBehaviour(.rest)
            let executor = parts.executor
            let market = Self.market(parts)
            let running = Task { await executor.execute(Self.entry, market: market) }
            #expect(await parts.clock.waitForSleepers(1), "the executor follows the order")
            executor.stopSending()
            parts.clock.advance(by: .milliseconds(100))
            let outcome = await running.value
            guard case .unresolved = outcome else {
                Issue.record("expected the order left open, got \(outcome)")
                return
            }
            #expect(parts.router.submitted.count == 1)
            #expect(parts.router.canceled.isEmpty)
            #expect(parts.store.state.pendingIntents.count == 1)
            #expect(parts.log.contains("no longer following an order"))

            let next = try await drive(parts.clock) { await executor.execute(Self.entry, market: market) }
            #expect(next == .notSent(reason: "not sent: Bulwark is stopping", endsBatch: true))
            #expect(parts.router.submitAttempts == 1)
        }
    }
}
