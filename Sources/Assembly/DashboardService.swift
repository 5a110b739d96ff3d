import Dashboard
import Logging
import ServiceLifecycle
import Supervision
import TradingModel
import Primitives

/// `dashboard` as the supervisor runs it: a fresh server on each (re)start, serving the health registry
/// and the metrics recorder on 127.0.0.1. It reports itself serving (OK) once it listens, not before.
package struct DashboardService: Service {
    let port: Int
    let registry: HealthRegistry
    let metrics: MetricsRecorder
    let logger: Logger

    package func run() async throws {
        let server = try DashboardServer(port: port, health: RegistryHealth(registry: registry), metrics: metrics, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            group.addTask { [registry] in
                guard (try? await server.boundAddress()) != nil else { return }
                registry.report(.dashboard, from: .service, status: .ok)
            }
            try await group.waitForAll()
        }
    }
}

/// The health registry as the dashboard reads it: the same document as `state/health.json`.
package struct RegistryHealth: HealthSource {
    let registry: HealthRegistry

    package func currentHealth() -> HealthReport {
        let document = registry.document
        return HealthReport(overall: document.overall.status, json: Array(document.json.utf8), services: document.services)
    }
}
