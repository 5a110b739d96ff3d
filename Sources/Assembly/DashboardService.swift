import Dashboard
import Logging
import ServiceLifecycle
import Supervision
import TradingModel
import Primitives
import Settings
import Synchronization

/// `dashboard` as the supervisor runs it: a fresh server on each (re)start, serving the health registry
/// and the metrics recorder on 127.0.0.1. It reports itself serving (OK) once it listens, not before.
/// With `DASHBOARD_PORT=any` the first start binds port 0 (the system chooses) and keeps the port it got,
/// which later starts bind again, so the address in the log stays right for the whole run.
package struct DashboardService: Service {
    private let lifecycle = RunState("the dashboard", .restartable)
    let port: Int
    let chosen: ChosenPort
    let registry: HealthRegistry
    let metrics: MetricsRecorder
    let logger: Logger

    /// Refuses a second run while one goes on (its supervisor may run it again once it ended). It serves
    /// from the cooperative pool, not from the core's own thread that its supervisor runs on: requests are
    /// not queued behind the core's disk writes.
    package func run() async throws {
        try await lifecycle.running {
            try await withTaskExecutorPreference(globalConcurrentExecutor) { try await serve() }
        }
    }

    private func serve() async throws {
        let port = port == BulwarkConfiguration.anyDashboardPort ? chosen.port ?? 0 : port
        let server = try DashboardServer(port: port, health: RegistryHealth(registry: registry), metrics: metrics, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            group.addTask { [registry, chosen] in
                guard let bound = try? await server.boundAddress() else { return }
                chosen.keep(bound.port)
                registry.report(.dashboard, from: .service, status: .ok)
            }
            try await group.waitForAll()
        }
    }
}

/// The port a dashboard started with `DASHBOARD_PORT=any` was given, once it has listened.
final class ChosenPort: Sendable {
    private let value = Mutex<Int?>(nil)
    var port: Int? { value.withLock { $0 } }
    func keep(_ port: Int) { value.withLock { $0 = $0 ?? port } }
}

/// The health registry as the dashboard reads it: the same document as `state/health.json`.
package struct RegistryHealth: HealthSource {
    let registry: HealthRegistry

    package func currentHealth() -> HealthReport {
        let document = registry.document
        return HealthReport(overall: document.overall.status, json: Array(document.json.utf8), services: document.services)
    }
}
