import Foundation
import Primitives
import Supervision
import TestSupport
import Testing
import TradingModel

/// The vital signs publisher: realised PnL today from the journal's day plus what the state's total
/// moved since, a new day read afresh; what it publishes reaches the status board's snapshot.
struct VitalSignsPublisherTests {
    /// 2026-01-05 23:59:50 UTC: ten seconds before a new day.
    private let clock = ManualClock(now: Timestamp(rfc3339: "2026-01-05T23:59:50Z")!)

    private final class Core: Sendable {
        let total = LockedBox<Decimal>(100)
        let asked = LockedBox<[Timestamp]>([])
    }

    private func publisher(_ bus: EventBus, core: Core, marks: ActivityMarks = ActivityMarks(), calls: APICallWindow = APICallWindow()) -> VitalSignsPublisher {
        let heartbeat = clock.now
        return VitalSignsPublisher(
            bus: bus, clock: clock,
            sources: VitalSignsPublisher.Sources(
                core: { (heartbeat, core.total.value) },
                realizedSince: { start in
                    core.asked.withLock { $0.append(start) }
                    return 7
                },
                calls: calls, marks: marks),
            exposureLimit: Decimal(string: "0.30")!)
    }

    /// Today = the journal's realised PnL since midnight + how far the state's total moved since it was
    /// read; at midnight the journal is read again for the new day (and only then).
    @Test func realisedTodayAcrossMidnight() {
        let bus = EventBus(clock: clock)
        let core = Core()
        let vitals = publisher(bus, core: core)
        var signs = vitals.current()
        #expect(signs.realizedToday == 7)
        #expect(signs.realizedTotal == 100)
        core.total.value = 112
        signs = vitals.current()
        #expect(signs.realizedToday == 19)
        #expect(signs.realizedTotal == 112)
        #expect(core.asked.value == [Timestamp(rfc3339: "2026-01-05T00:00:00Z")!])
        clock.advance(by: .seconds(20))
        signs = vitals.current()
        #expect(core.asked.value.last == Timestamp(rfc3339: "2026-01-06T00:00:00Z")!)
        #expect(core.asked.value.count == 2)
        #expect(signs.realizedToday == 7)
    }

    /// The folded figures, the marked flow alert, the heartbeat and the API window come out in one
    /// `.vitals` event; the status board keeps the latest for its snapshot, not among the recent events.
    @Test func publishedVitalsReachTheBoard() async throws {
        let bus = EventBus(clock: clock)
        let board = StatusBoard(bus: bus, clock: clock, broker: "SIM", chaosLocked: false)
        let marks = ActivityMarks()
        let calls = APICallWindow()
        let vitals = publisher(bus, core: Core(), marks: marks, calls: calls)
        vitals.fold(bus.publish(.account(AccountSnapshot(equity: 1_000, cash: 600, buyingPower: 1_200))))
        marks.mark(.flowAlert, at: clock.now)
        calls.record(api: "alpaca", latency: .milliseconds(3), failed: false, at: clock.now)
        vitals.publish()
        bus.finish()
        try await board.run()
        let snapshot = board.snapshot(holds: [])
        let published = try #require(snapshot.vitals)
        #expect(published.equity == 1_000)
        #expect(published.cash == 600)
        #expect(published.buyingPower == 1_200)
        #expect(published.lastFlowAlert == clock.now)
        #expect(published.heartbeat == clock.now)
        #expect(published.apis.first?.p50 == .milliseconds(3))
        #expect(!snapshot.recentEvents.contains { if case .vitals = $0.kind { true } else { false } })
    }
}
