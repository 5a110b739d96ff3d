import Persistence
import Primitives
import Testing
import TradingModel

struct TradingStateLedgerTests {
    let t0 = Timestamp(rfc3339: "2026-01-05T14:30:00Z")!

    /// A hold halts trading with its reason; releasing it restores the operator's choice.
    @Test func holdHaltsAndReleaseRestoresChoice() {
        var ledger = TradingStateLedger.active(since: t0)
        ledger.choose(.reducing, reason: "close only", at: t0)
        let held = ledger.hold(.stateWrite, reason: "FAILED_STATE: disk full", at: t0.advanced(by: .seconds(1)))
        #expect(held)
        #expect(ledger.effective == TradingState(mode: .halted, reason: "FAILED_STATE: disk full", actor: .system, since: t0.advanced(by: .seconds(1))))
        let released = ledger.release(.stateWrite, at: t0.advanced(by: .seconds(9)))
        #expect(released)
        #expect(ledger.effective.mode == .reducing)
        #expect(ledger.effective.reason == "close only")
        #expect(ledger.effective.since == t0.advanced(by: .seconds(9)))
    }

    /// The system hold in force is a hold of the system's whose state is in force: not the kill switch any
    /// shell places, not under the operator's halt (unless newer), none once released.
    @Test func systemHoldInForce() {
        var ledger = TradingStateLedger.active(since: t0)
        #expect(ledger.systemHold == nil)
        ledger.hold(.killSwitch, reason: KillSwitch.reason, actor: .operator, at: t0)
        #expect(ledger.systemHold == nil)
        ledger.hold(.journalWrite, reason: "FAILED_JOURNAL: disk full", at: t0)
        #expect(ledger.systemHold?.code == .journalWrite)
        #expect(ledger.systemHold?.code.failureReason == .journal)
        ledger.release(.journalWrite, at: t0)
        ledger.release(.killSwitch, at: t0)
        ledger.hold(.restarts, reason: "FAILED_RESTARTS: uw-daemon", at: t0)
        #expect(ledger.systemHold?.code == .restarts)
        ledger.choose(.halted, reason: "operator", at: t0)
        #expect(ledger.systemHold == nil, "the operator's halt is in force")
    }

    /// Releasing one hold leaves every other hold in place.
    @Test func releaseLiftsOnlyItsOwnHold() {
        var ledger = TradingStateLedger.active(since: t0)
        ledger.hold(.reconciliation, reason: "FAILED_RECONCILIATION: down", at: t0)
        ledger.hold(.killSwitch, reason: KillSwitch.reason, actor: .operator, at: t0)
        ledger.release(.reconciliation, at: t0)
        #expect(ledger.effective.mode == .halted)
        #expect(ledger.effective.reason == KillSwitch.reason)
        let releasedOther = ledger.release(.stateWrite, at: t0)
        #expect(!releasedOther)
        #expect(ledger.holds.map(\.code) == [.killSwitch])
    }

    /// The operator cannot resume over a system hold, and an operator halt outlives the hold.
    @Test func operatorChoiceSitsUnderHolds() {
        var ledger = TradingStateLedger.active(since: t0)
        ledger.hold(.reconciliation, reason: "FAILED_RECONCILIATION: down", at: t0)
        let changed = ledger.choose(.active, reason: nil, at: t0)
        #expect(!changed)
        #expect(ledger.effective.mode == .halted)
        ledger.choose(.halted, reason: "operator: lunch", at: t0)
        ledger.release(.reconciliation, at: t0)
        #expect(ledger.effective == TradingState(mode: .halted, reason: "operator: lunch", actor: .operator, since: t0))
    }

    /// Holding the same code twice re-words it instead of stacking a second hold.
    @Test func holdingTwiceRewords() {
        var ledger = TradingStateLedger.active(since: t0)
        ledger.hold(.reconciliation, reason: "first", at: t0)
        ledger.hold(.reconciliation, reason: "second", at: t0.advanced(by: .seconds(3)))
        #expect(ledger.holds.count == 1)
        #expect(ledger.effective.reason == "second")
        #expect(ledger.effective.since == t0)
    }
}
