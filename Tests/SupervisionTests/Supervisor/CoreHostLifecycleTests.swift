import Engine
import Primitives
import Supervision
import TestSupport
import Testing
import TradingModel

/// The core host as a service: it runs the core on its own executor (durable writes off the cooperative
/// pool), a halt is still written on its sender's thread at once, and it runs once.
struct CoreHostLifecycleTests {
    struct BuildFailed: Error {}

    static let executor = DedicatedExecutor(name: "test-core")

    /// The generation is built (and so run) on the host's executor; a halt with no generation in force is
    /// written by its sender, not queued behind the core; a second run() is refused.
    @Test func runsOnItsExecutorOnce() async throws {
        try await withTemporaryDirectory { folder in
            let executor = Self.executor
            let builtOnExecutor = LockedBox<Bool?>(nil)
            let haltOnExecutor = LockedBox<Bool?>(nil)
            let clock = ManualClock()
            let host = CoreHost(
                registry: HealthRegistry(
                    services: HealthRegistry.standardServices, path: folder + "/health.json", clock: clock, bus: nil,
                    logger: LogCapture().logger),
                chaos: ChaosSwitchboard(locked: false, logger: LogCapture().logger), bus: nil, clock: clock,
                logger: LogCapture().logger, journal: nil,
                haltOnDisk: { _, _ in
                    haltOnExecutor.withLock { $0 = executor.isCurrentThread }
                    return CommandResult.Draft(accepted: true, message: "halted")
                },
                executor: executor,
                build: { _ in
                    builtOnExecutor.withLock { $0 = executor.isCurrentThread }
                    throw BuildFailed()
                })
            let halt = await host.submit(.halt, from: CommandActor(kind: .test))
            #expect(halt.accepted)
            #expect(haltOnExecutor.value == false)
            await #expect(throws: BuildFailed.self) { try await host.run() }
            #expect(builtOnExecutor.value == true)
            await #expect(throws: RunRefused(service: "the core host", reason: .alreadyRan)) { try await host.run() }
        }
    }
}
