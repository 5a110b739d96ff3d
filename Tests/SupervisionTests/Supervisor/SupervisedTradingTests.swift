import Foundation
import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

struct SupervisedTradingTests {
    static let time = Timestamp.seconds(1_700_000_000)

    /// A FAILED_RESTARTS hold puts trading REDUCING (exits still managed); a halting hold, or the
    /// operator's HALTED, is stricter and wins; releasing the hold gives the operator's choice back.
    @Test func restartsHoldReduces() {
        var ledger = TradingStateLedger.active(since: Self.time)
        ledger.hold(.restarts, reason: "FAILED_RESTARTS: uw-daemon", at: Self.time)
        #expect(ledger.effective.mode == .reducing)
        #expect(ledger.effective.reason == "FAILED_RESTARTS: uw-daemon")
        ledger.choose(.halted, reason: "operator", at: Self.time)
        #expect(ledger.effective.mode == .halted && ledger.effective.reason == "operator")
        ledger.choose(.active, reason: nil, at: Self.time)
        ledger.hold(.config, reason: "FAILED_CONFIG: refused", at: Self.time)
        #expect(ledger.effective.mode == .halted && ledger.effective.reason == "FAILED_CONFIG: refused")
        ledger.release(.config, at: Self.time)
        #expect(ledger.effective.mode == .reducing)
        ledger.release(.restarts, at: Self.time)
        #expect(ledger.effective.mode == .active)
    }

    /// Chaos state_corrupt: garbage over the state file is reloaded through the self-healing path — the
    /// file moved aside, the state empty and held for reconciliation, observers told — and the healed
    /// state is written back.
    @Test func overwriteAndReloadHeals() throws {
        try withTemporaryDirectory { folder in
            let clock = ManualClock()
            let store = try StateStore(directory: folder, clock: clock, logger: LogCapture().logger)
            try store.update { $0.positions[StateSamples.aapl] = Position(symbol: StateSamples.aapl, quantity: 3, averageEntryPrice: 190, openedAt: clock.now) }
            let seen = LockedBox<[TradingState.Mode]>([])
            store.observeTradingState { state in seen.withLock { $0.append(state.mode) } }
            let report = try store.overwriteAndReload(with: Array("not json".utf8))
            guard case .healed(let healing) = report.outcome else {
                Issue.record("expected healed, got \(report.outcome)")
                return
            }
            #expect(FileManager.default.contents(atPath: healing.backupPath) == Data("not json".utf8))
            #expect(store.state.positions.isEmpty)
            #expect(store.state.trading.isHeld(.reconciliation))
            #expect(seen.value == [.active, .halted])
            let reopened = try StateStore(directory: folder, clock: clock, logger: LogCapture().logger)
            #expect(reopened.loadReport.outcome != report.outcome, "the healed state was written back and loads as valid")
        }
    }
}
