@testable import Engine
import Foundation
import Logging
@testable import Persistence
@testable import Primitives
import Synchronization
import TestSupport
import Testing
@testable import TradingModel

/// The broker's trouble, as the engine meets it while ticking: each class named for what it is, and a
/// hold the state cannot save said in the log, never swallowed.
struct BrokerTroubleTests {
    /// Every health condition the engine reports, in order.
    private final class RecordingHealth: HealthReporter {
        private let conditions = Mutex<[HealthCondition]>([])
        var reported: [HealthCondition] { conditions.withLock { $0 } }
        func report(_ name: ServiceName, from source: HealthReportSource, _ condition: HealthCondition, error: String?, errorCode: String?) {
            conditions.withLock { $0.append(condition) }
        }
    }

    /// A rate limit while reading the broker is named as a rate limit in health, never "unreachable".
    @Test func rateLimitIsNamedForWhatItIs() async throws {
        try await withTemporaryDirectory { directory in
            let health = RecordingHealth()
            let setup = try EngineFixture(directory: directory, health: health)
            await setup.engine.start()
            setup.broker.failWith(.rateLimit)
            try await setup.tick()
            let detail = try #require(health.reported.last { $0.status == .degraded }?.detail)
            #expect(detail.contains("rate limit") && !detail.contains("unreachable"), "\(detail)")
        }
    }

    /// A FAILED_CONFIG hold the state store cannot save (its file blocked) is said in the log with the
    /// reason, not swallowed.
    @Test func unsavedHoldIsLogged() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            await setup.engine.start()
            let path = directory + "/state/" + StateFileFormat.fileName
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(atPath: path + "/in-the-way", withIntermediateDirectories: true)
            setup.broker.failWith(.auth)
            try await setup.tick()
            #expect(setup.store.state.trading.isHeld(.config), "held in memory")
            #expect(setup.parts.log.lines.contains { line in
                line.level == .error && line.message.contains("hold is not yet saved") && line.metadata["hold"] == "\(HaltCode.config)"
            })
        }
    }
}
