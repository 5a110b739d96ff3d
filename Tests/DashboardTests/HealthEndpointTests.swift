import Dashboard
import Primitives
import Testing

struct HealthEndpointTests {
    /// OK and DEGRADED answer 200 with the report's JSON bytes unchanged, as application/json.
    @Test(arguments: [HealthStatus.ok, .degraded])
    func servesTheHealthDocument(overall: HealthStatus) async throws {
        let report = Harness.report(overall)
        try await Harness.withDashboard(health: StubHealth(report)) { port, _, _ in
            let answer = try await Harness.get(port, "/api/system/health")
            #expect(answer.status == 200)
            #expect(answer.contentType == "application/json")
            #expect(answer.body == report.json)
        }
    }

    /// FAILED, STARTING (not yet known to serve) and STOPPED answer 503, still with the health document
    /// as the body.
    @Test(arguments: [HealthStatus.failed, .starting, .stopped])
    func failedIsServiceUnavailable(overall: HealthStatus) async throws {
        let report = Harness.report(overall)
        try await Harness.withDashboard(health: StubHealth(report)) { port, _, _ in
            let answer = try await Harness.get(port, "/api/system/health")
            #expect(answer.status == 503)
            #expect(answer.body == report.json)
        }
    }

    /// Each request reads the source afresh: a change of health shows on the next request.
    @Test func followsTheSource() async throws {
        let health = StubHealth(Harness.report(.ok))
        try await Harness.withDashboard(health: health) { port, _, _ in
            let before = try await Harness.get(port, "/api/system/health")
            health.set(Harness.report(.failed))
            let after = try await Harness.get(port, "/api/system/health")
            #expect(before.status == 200)
            #expect(after.status == 503)
        }
    }

    /// Unknown paths, and other methods on the known ones, answer 404.
    @Test func anythingElseIsNotFound() async throws {
        try await Harness.withDashboard(health: StubHealth(Harness.report(.ok))) { port, _, _ in
            let requests = [
                ("GET", "/"), ("GET", "/api/system/health/extra"), ("GET", "/api/system/status"),
                ("POST", "/api/system/health"), ("DELETE", "/metrics"),
            ]
            for (method, path) in requests {
                let answer = try await Harness.get(port, path, method: method)
                #expect(answer.status == 404, "\(method) \(path)")
            }
        }
    }
}
