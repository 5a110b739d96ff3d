import Foundation
import Primitives
import ServiceLifecycle
import ServiceLifecycleTestKit
import Supervision
import Synchronization
import TestSupport
import Testing
import TradingModel

/// A given-up supportive service whose cause ends without a failed write to say so (its port freed,
/// disk space freed) is tried again when its cause check says so, not only after the cool-off.
struct CauseCheckTests {
    private struct Rig {
        let clock = ManualClock()
        let capture = LogCapture()
        let registry: HealthRegistry
        let supervisor: Supervisor
        let dashboard = CausedService()
        let portFree: LockedBox<Bool>

        init(portFree: Bool) {
            let bus = EventBus(clock: clock)
            let registry = HealthRegistry(
                services: HealthRegistry.standardServices.filter { [.tradingBot, .dashboard].contains($0.name) }, path: nil, clock: clock, bus: bus,
                logger: capture.logger)
            self.registry = registry
            let steady = ProbeService(.steady)
            steady.reportServing { registry.report(.tradingBot, from: .service, status: .ok) }
            dashboard.reportServing { registry.report(.dashboard, from: .service, status: .ok) }
            let free = LockedBox(portFree)
            self.portFree = free
            supervisor = Supervisor(
                children: [
                    .init(name: .tradingBot, service: steady),
                    .init(name: .dashboard, service: dashboard, causeCheck: { free.value ? "the dashboard's address is free again" : nil }),
                ],
                registry: registry, policy: Supervisor.Policy(maxRestarts: 2, window: .seconds(600)), clock: clock, logger: capture.logger)
        }

        /// Moves the clock to each restart deadline until the dashboard is given up (20 s of real time at most).
        func driveUntilGivenUp() async -> Bool {
            let giveUp = ContinuousClock.now.advanced(by: .seconds(20))
            while !(supervisor.stopped[.dashboard] == .restarts && registry.service(.dashboard)?.status == .failed) {
                if ContinuousClock.now > giveUp { return false }
                if let deadline = clock.nextDeadline { clock.advance(to: deadline) }
                await Task.yield()
            }
            return true
        }

        /// Advances the clock by one cause-check step once the cool-off sleeps.
        func step() async -> Bool {
            guard await clock.waitForSleepers(1) else { return false }
            clock.advance(by: .seconds(10))
            return true
        }
    }

    /// Given up with its port taken, the dashboard cools off; one check later the port is still taken and
    /// nothing happens; once it is free the next check (10 s on the clock, not 10 min) starts it again,
    /// counted as a restart with the cause as its reason, and it is OK.
    @Test func portFreedEndsTheCoolOff() async {
        let rig = Rig(portFree: false)
        await testGracefulShutdown { trigger in
            let task = Task { await rig.supervisor.run() }
            #expect(await rig.driveUntilGivenUp())
            let givenUpAt = rig.clock.now
            #expect(await rig.step())
            #expect(await rig.clock.waitForSleepers(1), "still cooling off")
            #expect(rig.registry.service(.dashboard)?.status == .failed)

            rig.dashboard.causeGone()
            rig.portFree.value = true
            #expect(await rig.step())
            let back = await CauseGoneTests.within(seconds: 20) { rig.registry.service(.dashboard)?.status == .ok }
            #expect(back, "still \(rig.registry.service(.dashboard)?.status.rawValue ?? "-")")
            #expect(givenUpAt.duration(to: rig.clock.now) == .seconds(20))
            #expect(rig.registry.service(.dashboard)?.lastRestart?.reason.contains("is free again") == true)
            #expect(rig.capture.contains("its cause is gone"))
            #expect(rig.supervisor.stopped[.dashboard] == nil)
            trigger.triggerGracefulShutdown()
            #expect(await task.value == .shutdown)
        }
    }

    /// A check that says the cause is gone from the start of the cool-off (the failures had another
    /// cause) does not cut it short: the service stays given up, no restart loop.
    @Test func checkThatNeverSawTheCauseChangesNothing() async {
        let rig = Rig(portFree: true)
        await testGracefulShutdown { trigger in
            let task = Task { await rig.supervisor.run() }
            #expect(await rig.driveUntilGivenUp())
            for _ in 0..<3 { #expect(await rig.step()) }
            #expect(await rig.clock.waitForSleepers(1))
            #expect(rig.registry.service(.dashboard)?.status == .failed)
            #expect(rig.supervisor.stopped[.dashboard] == .restarts)
            #expect(rig.dashboard.runs == 2)
            trigger.triggerGracefulShutdown()
            #expect(await task.value == .shutdown)
        }
    }
}
