import Primitives
import ServiceLifecycle
import ServiceLifecycleTestKit
import Supervision
import Synchronization
import TestSupport
import Testing
import TradingModel

/// Test services that count their runs and say how they ended.
final class ProbeService: Service {
    enum Behaviour: Sendable {
        /// Runs until a graceful shutdown (returns) or cancellation (throws).
        case steady
        /// Throws at once.
        case crash(any Error & Sendable)
        /// Returns at once.
        case quit
    }

    private struct Counts {
        var runs = 0
        var running = 0
        var cancelled = 0
    }

    let behaviour: Behaviour
    private let counts = Mutex(Counts())
    /// Called when a steady run begins: the service reports itself serving.
    private let onServing = Mutex<(@Sendable () -> Void)?>(nil)

    func reportServing(_ report: @escaping @Sendable () -> Void) { onServing.withLock { $0 = report } }

    init(_ behaviour: Behaviour) { self.behaviour = behaviour }

    var runs: Int { counts.withLock { $0.runs } }
    var running: Int { counts.withLock { $0.running } }
    var cancelled: Int { counts.withLock { $0.cancelled } }

    func run() async throws {
        counts.withLock {
            $0.runs += 1
            $0.running += 1
        }
        defer { counts.withLock { $0.running -= 1 } }
        switch behaviour {
        case .steady:
            onServing.withLock { $0 }?()
            do {
                try await gracefulShutdown()
            } catch {
                counts.withLock { $0.cancelled += 1 }
                throw error
            }
        case .crash(let error):
            throw error
        case .quit:
            return
        }
    }
}

struct Boom: Error, CustomStringConvertible {
    var description: String { "boom" }
}

struct RefusedKey: ClassifiedError, CustomStringConvertible {
    var errorClass: APIErrorClass { .auth }
    var description: String { "AUTH_ERROR: forbidden." }
}

struct SupervisorTests {
    struct Rig {
        let clock = ManualClock()
        let bus: EventBus
        let capture = LogCapture()
        let registry: HealthRegistry
        let supervisor: Supervisor

        /// The registry lists the children only; each reports itself serving when a steady run begins.
        /// `caused`, if given, is `heartbeat-keeper`, failing while its cause lasts.
        init(_ children: [(ServiceName, ProbeService)], maxRestarts: Int = 3, caused: CausedService? = nil) {
            bus = EventBus(clock: clock)
            let names = Set(children.map(\.0) + (caused == nil ? [] : [.heartbeatKeeper]))
            let registry = HealthRegistry(
                services: HealthRegistry.standardServices.filter { names.contains($0.name) }, path: nil, clock: clock, bus: bus, logger: capture.logger)
            self.registry = registry
            for (name, service) in children { service.reportServing { registry.report(name, from: .service, status: .ok) } }
            caused?.reportServing { registry.report(.heartbeatKeeper, from: .service, status: .ok) }
            supervisor = Supervisor(
                children: children.map { Supervisor.Child(name: $0.0, service: $0.1) } + (caused.map { [Supervisor.Child(name: .heartbeatKeeper, service: $0)] } ?? []),
                registry: registry,
                policy: Supervisor.Policy(maxRestarts: maxRestarts, window: .seconds(600)), clock: clock, logger: capture.logger)
        }

        /// Moves the clock to each restart deadline until `condition` holds (or 20 s of real time pass);
        /// returns the waits it found, in order.
        func drive(until condition: () -> Bool) async -> [Duration]? {
            var waits: [Duration] = []
            let giveUp = ContinuousClock.now.advanced(by: .seconds(20))
            while !condition() {
                if ContinuousClock.now > giveUp { return nil }
                if let deadline = clock.nextDeadline {
                    waits.append(clock.now.duration(to: deadline))
                    clock.advance(to: deadline)
                }
                await Task.yield()
            }
            return waits
        }
    }

    /// A crash-looping service is restarted after 1 s, then 2 s, and given up at the third failure
    /// (FAILED_RESTARTS, restarts counted) while the other service keeps running untouched; a graceful
    /// shutdown then ends the supervisor with `.shutdown`.
    @Test func crashLoopGivenUpOthersKeepRunning() async {
        let looping = ProbeService(.crash(Boom()))
        let steady = ProbeService(.steady)
        let rig = Rig([(.uwDaemon, looping), (.tradingBot, steady)])
        await testGracefulShutdown { trigger in
            let task = Task { await rig.supervisor.run() }
            let waits = await rig.drive { rig.registry.service(.uwDaemon)?.reason == .restarts }
            #expect(waits == [.seconds(1), .seconds(2)])
            #expect(looping.runs == 3)
            #expect(rig.registry.service(.uwDaemon)?.status == .failed)
            #expect(rig.registry.service(.uwDaemon)?.restarts == 2)
            #expect(rig.registry.service(.uwDaemon)?.lastError == "boom")
            #expect(rig.registry.overall == OverallHealth(status: .failed, reason: .restarts))
            #expect(rig.supervisor.stopped == [.uwDaemon: .restarts])
            #expect(steady.runs == 1 && steady.running == 1)
            #expect(rig.registry.service(.tradingBot)?.status == .ok)
            #expect(rig.clock.sleeperCount == 0, "a given-up service is not scheduled again")
            trigger.triggerGracefulShutdown()
            #expect(await task.value == .shutdown)
            #expect(steady.cancelled == 0, "the steady service stopped gracefully")
        }
    }

    /// A service that fails before it serves (a dashboard whose port is taken) is never shown OK: STARTING,
    /// then DEGRADED at each failure, STARTING again at each restart (counted, with the failure as the
    /// reason), FAILED when given up; no recovery is logged. The supervisor never reports a service OK.
    @Test func failingBeforeServingIsNeverOK() async {
        let looping = ProbeService(.crash(Boom()))
        let rig = Rig([(.dashboard, looping), (.tradingBot, ProbeService(.steady))])
        let events = rig.bus.subscribe(name: "test")
        await testGracefulShutdown { trigger in
            let task = Task { await rig.supervisor.run() }
            _ = await rig.drive { rig.registry.service(.dashboard)?.status == .failed }
            trigger.triggerGracefulShutdown()
            #expect(await task.value == .shutdown)
        }
        rig.bus.finish()
        var statuses: [HealthStatus] = []
        for await event in events {
            if case .serviceStatus(let health) = event.kind, health.name == .dashboard { statuses.append(health.status) }
        }
        #expect(statuses == [.degraded, .starting, .degraded, .starting, .failed])
        #expect(!rig.capture.contains("service recovered"))
        let dashboard = rig.registry.service(.dashboard)
        #expect(dashboard?.restarts == 2)
        #expect(dashboard?.lastRestart?.reason == "after a failure: boom")
        #expect(rig.registry.service(.tradingBot)?.status == .ok)
    }

    /// A failure classified AUTH is not restarted: FAILED_CONFIG at once, no backoff scheduled.
    @Test func persistentFaultNotRestarted() async {
        let refused = ProbeService(.crash(RefusedKey()))
        let rig = Rig([(.uwDaemon, refused), (.tradingBot, ProbeService(.steady))])
        await testGracefulShutdown { trigger in
            let task = Task { await rig.supervisor.run() }
            let waits = await rig.drive { rig.registry.service(.uwDaemon)?.status == .failed }
            #expect(waits == [])
            #expect(refused.runs == 1)
            #expect(rig.registry.service(.uwDaemon)?.reason == .config)
            #expect(rig.registry.overall.reason == .config)
            #expect(rig.supervisor.stopped == [.uwDaemon: .config])
            trigger.triggerGracefulShutdown()
            #expect(await task.value == .shutdown)
        }
    }

    /// A service that returns while nothing asked it to stop counts as a failure and is restarted.
    @Test func unexpectedReturnIsAFailure() async {
        let quitter = ProbeService(.quit)
        let rig = Rig([(.heartbeatKeeper, quitter)], maxRestarts: 2)
        await testGracefulShutdown { trigger in
            let task = Task { await rig.supervisor.run() }
            let waits = await rig.drive { rig.registry.service(.heartbeatKeeper)?.status == .failed }
            #expect(waits == [.seconds(1)])
            #expect(quitter.runs == 2)
            #expect(rig.registry.service(.heartbeatKeeper)?.lastError == "returned unexpectedly")
            #expect(rig.registry.overall.status == .degraded, "a supportive service failing degrades, never fails, the system")
            trigger.triggerGracefulShutdown()
            #expect(await task.value == .shutdown)
        }
    }

    /// `crash()` tears everything down by cancellation — no graceful step — and `run()` says `.crashed`.
    @Test func crashTearsDownWithoutGrace() async {
        let steady = ProbeService(.steady)
        let rig = Rig([(.tradingBot, steady)])
        await testGracefulShutdown { _ in
            let task = Task { await rig.supervisor.run() }
            _ = await rig.drive { steady.running == 1 }
            rig.supervisor.crash()
            #expect(await task.value == .crashed)
            #expect(steady.cancelled == 1)
        }
    }

    /// A supportive service given up (FAILED_RESTARTS, the system DEGRADED, never FAILED) is tried again after
    /// a cool-off of 10 min on the injected clock, counted as a restart with that reason; given up again, it
    /// cools off for 20 min.
    @Test func givenUpSupportiveServiceComesBackAfterCoolOff() async {
        let looping = ProbeService(.crash(Boom()))
        let rig = Rig([(.heartbeatKeeper, looping), (.tradingBot, ProbeService(.steady))], maxRestarts: 2)
        await testGracefulShutdown { trigger in
            let task = Task { await rig.supervisor.run() }
            // Given up, and reported so (the registry hears it just after the supervisor's own record).
            let first = await rig.drive {
                rig.supervisor.stopped[.heartbeatKeeper] == .restarts && rig.registry.service(.heartbeatKeeper)?.status == .failed
            }
            #expect(first == [.seconds(1)])
            let givenUp = rig.registry.service(.heartbeatKeeper)
            #expect(givenUp?.status == .failed && givenUp?.reason == .restarts)
            #expect(givenUp?.detail?.contains("tried again in 10 min") == true)
            #expect(rig.registry.overall.status == .degraded)
            #expect(await rig.clock.waitForSleepers(1), "its retry is scheduled")

            let waits = await rig.drive {
                looping.runs == 4 && rig.supervisor.stopped[.heartbeatKeeper] == .restarts && rig.registry.service(.heartbeatKeeper)?.status == .failed
            }
            #expect(waits == [.seconds(600), .seconds(1)])
            let again = rig.registry.service(.heartbeatKeeper)
            #expect(again?.restarts == 3)
            #expect(again?.detail?.contains("tried again in 20 min") == true, "the cool-off doubles")
            #expect(rig.capture.contains("tried again after a cool-off of 10 min"))
            let last = await rig.drive { looping.runs == 5 }
            #expect(last == [.seconds(1200)])
            trigger.triggerGracefulShutdown()
            #expect(await task.value == .shutdown)
        }
    }

    /// A service the operator revives while it cools off is started at once, and the cool-off's own retry,
    /// when its time comes, does not start it a second time.
    @Test func reviveDuringCoolOffStartsItOnce() async {
        let looping = ProbeService(.crash(Boom()))
        let rig = Rig([(.heartbeatKeeper, looping), (.tradingBot, ProbeService(.steady))], maxRestarts: 2)
        await testGracefulShutdown { trigger in
            let task = Task { await rig.supervisor.run() }
            _ = await rig.drive { rig.supervisor.stopped[.heartbeatKeeper] == .restarts }
            #expect(await rig.clock.waitForSleepers(1), "the cool-off is under way")
            #expect(await rig.supervisor.revive([.restarts]) == [.heartbeatKeeper])
            // Revived, it fails at once and is restarted after 1 s, fails again and is given up again.
            #expect(await rig.clock.waitForSleepers(2), "the first cool-off and the restart")
            rig.clock.advance(by: .seconds(1))
            #expect(await rig.clock.waitForSleepers(2), "the first cool-off and the second")
            #expect(looping.runs == 4)
            // The first cool-off ends 599 s from now and is skipped; the second, 1 s later, retries.
            rig.clock.advance(by: .seconds(599))
            rig.clock.advance(by: .seconds(1))
            #expect(await rig.clock.waitForSleepers(1), "the retry failed and is restarted")
            #expect(looping.runs == 5)
            #expect(rig.registry.service(.heartbeatKeeper)?.restarts == 3, "one retry after the cool-off, not two")
            trigger.triggerGracefulShutdown()
            #expect(await task.value == .shutdown)
        }
    }

    /// `revive` restarts a given-up service afresh (its failure count forgotten) and leaves others alone.
    @Test func reviveRestartsGivenUpServices() async {
        let looping = ProbeService(.crash(Boom()))
        let rig = Rig([(.uwDaemon, looping), (.tradingBot, ProbeService(.steady))], maxRestarts: 2)
        await testGracefulShutdown { trigger in
            let task = Task { await rig.supervisor.run() }
            _ = await rig.drive { rig.supervisor.stopped[.uwDaemon] == .restarts }
            #expect(looping.runs == 2)
            #expect(await rig.supervisor.revive([.config]) == [])
            #expect(await rig.supervisor.revive([.restarts]) == [.uwDaemon])
            let waits = await rig.drive { looping.runs == 4 && rig.supervisor.stopped[.uwDaemon] == .restarts }
            #expect(waits == [.seconds(1)], "the failure count started afresh")
            trigger.triggerGracefulShutdown()
            #expect(await task.value == .shutdown)
        }
    }
}
