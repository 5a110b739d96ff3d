import Foundation
import Persistence
import Primitives
import ServiceLifecycle
import ServiceLifecycleTestKit
import Supervision
import Synchronization
import TestSupport
import Testing
import TradingModel

/// A service that fails at once while its cause lasts, and runs steadily (reporting itself serving) once
/// it is gone.
final class CausedService: Service {
    private let failing = Mutex(true)
    private let count = Mutex(0)
    private let onServing: Mutex<(@Sendable () -> Void)?> = Mutex(nil)

    var runs: Int { count.withLock { $0 } }
    func causeGone() { failing.withLock { $0 = false } }
    func reportServing(_ report: @escaping @Sendable () -> Void) { onServing.withLock { $0 = report } }

    func run() async throws {
        count.withLock { $0 += 1 }
        if failing.withLock({ $0 }) { throw Boom() }
        onServing.withLock { $0 }?()
        try await gracefulShutdown()
    }
}

struct CauseGoneTests {
    /// A given-up supportive service cooling off is started again at once when its cause is gone — no
    /// time passes on the injected clock — counted as a restart with the cause as its reason, and OK;
    /// its cool-off's own retry is skipped by the token a revive also clears (`reviveDuringCoolOffStartsItOnce`).
    @Test func givenUpServiceComesBackAtOnceWhenItsCauseIsGone() async {
        let keeper = CausedService()
        let rig = SupervisorTests.Rig([(.tradingBot, ProbeService(.steady))], maxRestarts: 2, caused: keeper)
        await testGracefulShutdown { trigger in
            let task = Task { await rig.supervisor.run() }
            let givenUp = await rig.drive {
                rig.supervisor.stopped[.heartbeatKeeper] == .restarts && rig.registry.service(.heartbeatKeeper)?.status == .failed
            }
            #expect(givenUp == [.seconds(1)])
            #expect(await rig.clock.waitForSleepers(1), "its cool-off is under way")
            let givenUpAt = rig.clock.now

            keeper.causeGone()
            rig.supervisor.causeGone("the state file is written again (FAILED_STATE released)")
            let back = await Self.within(seconds: 20) { rig.registry.service(.heartbeatKeeper)?.status == .ok }
            #expect(back, "still \(rig.registry.service(.heartbeatKeeper)?.status.rawValue ?? "-")")
            #expect(rig.clock.now == givenUpAt, "no cool-off waited")
            let health = rig.registry.service(.heartbeatKeeper)
            #expect(health?.restarts == 2 && health?.lastRestart?.reason.contains("FAILED_STATE released") == true, "\(String(describing: health))")
            #expect(rig.supervisor.stopped[.heartbeatKeeper] == nil)
            #expect(rig.capture.contains("its cause is gone"))
            #expect(keeper.runs == 3)
            trigger.triggerGracefulShutdown()
            #expect(await task.value == .shutdown)
        }
    }

    /// A disk-full episode on the manual clock: the state file cannot be written (trading held
    /// FAILED_STATE) and the heartbeat keeper is given up meanwhile; once the store's retry writes the file
    /// the hold is released and the keeper is started again at once, not after its 10 min cool-off.
    @Test func writeHoldReleasedRetriesTheKeeperAtOnce() async throws {
        try await withTemporaryDirectory { directory in
            let keeper = CausedService()
            let rig = SupervisorTests.Rig([(.tradingBot, ProbeService(.steady))], maxRestarts: 2, caused: keeper)
            let store = try StateStore(directory: directory, clock: rig.clock, bus: rig.bus, logger: rig.capture.logger)
            rig.supervisor.followHolds(of: store, registry: rig.registry)
            let path = StateSamples.statePath(directory)
            try FileManager.default.createDirectory(atPath: path + "/in-the-way", withIntermediateDirectories: true)
            #expect(throws: StateStoreError.self) { try store.update { $0.lastFlowAlertID = "alert-1" } }
            #expect(store.state.trading.systemHold?.code.failureReason == .state)
            await testGracefulShutdown { trigger in
                let task = Task { await rig.supervisor.run() }
                _ = await rig.drive { rig.supervisor.stopped[.heartbeatKeeper] == .restarts }
                #expect(await rig.clock.waitForSleepers(1), "its cool-off is under way")
                let givenUpAt = rig.clock.now

                // The disk has room again: the store's next retry writes, and that is the sign.
                keeper.causeGone()
                try? FileManager.default.removeItem(atPath: path)
                #expect(store.retryPendingWriteIfDue() == .written)
                let back = await Self.within(seconds: 20) { rig.registry.service(.heartbeatKeeper)?.status == .ok }
                #expect(back, "still \(rig.registry.service(.heartbeatKeeper)?.status.rawValue ?? "-")")
                #expect(rig.clock.now == givenUpAt, "no cool-off waited")
                #expect(rig.registry.service(.heartbeatKeeper)?.lastRestart?.reason.contains("FAILED_STATE released") == true)
                #expect(rig.registry.overall.status == .ok)
                trigger.triggerGracefulShutdown()
                #expect(await task.value == .shutdown)
            }
        }
    }

    /// With nothing given up, the cause going away starts nothing; a critical service given up stays
    /// stopped until the operator revives it.
    @Test func onlyCoolingOffServicesAreRetried() async {
        let feed = ProbeService(.crash(Boom()))
        let rig = SupervisorTests.Rig([(.uwDaemon, feed), (.tradingBot, ProbeService(.steady))], maxRestarts: 2)
        await testGracefulShutdown { trigger in
            let task = Task { await rig.supervisor.run() }
            _ = await rig.drive { rig.supervisor.stopped[.uwDaemon] == .restarts }
            rig.supervisor.causeGone("the state file is written again (FAILED_STATE released)")
            // The message is handled in turn: a revive after it answers only once it was.
            #expect(await rig.supervisor.revive([.config]) == [])
            #expect(feed.runs == 2 && rig.supervisor.stopped[.uwDaemon] == .restarts)
            trigger.triggerGracefulShutdown()
            #expect(await task.value == .shutdown)
        }
    }

    /// The end of a hold for a failed state or journal write is a cause gone; other holds, a hold that
    /// begins or stays, are not.
    @Test func whichHoldEndsAreACauseGone() {
        #expect(Supervisor.causeGone(heldBy: .state, now: nil)?.contains("FAILED_STATE released") == true)
        #expect(Supervisor.causeGone(heldBy: .journal, now: nil)?.contains("FAILED_JOURNAL released") == true)
        #expect(Supervisor.causeGone(heldBy: .state, now: .journal) != nil)
        #expect(Supervisor.causeGone(heldBy: .state, now: .state) == nil)
        #expect(Supervisor.causeGone(heldBy: nil, now: .state) == nil)
        #expect(Supervisor.causeGone(heldBy: .reconciliation, now: nil) == nil)
    }

    /// Yields until `condition` holds or `seconds` of real time pass (the clock is not moved).
    static func within(seconds: Int64, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            await Task.yield()
        }
        return true
    }
}
