import AsyncHTTPClient
import Dashboard
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Primitives
import Synchronization
import Testing
import TradingModel

/// A health source whose report the test sets.
final class StubHealth: HealthSource {
    private let report: Mutex<HealthReport>

    init(_ report: HealthReport) {
        self.report = Mutex(report)
    }

    func set(_ report: HealthReport) {
        self.report.withLock { $0 = report }
    }

    func currentHealth() -> HealthReport {
        report.withLock { $0 }
    }
}

/// An HTTP answer: status, content type and body bytes.
struct Answer: Sendable {
    var status: Int
    var contentType: String?
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
}

enum Harness {
    static let since = Timestamp(rfc3339: "2026-03-16T14:00:00Z")!

    static var quietLogger: Logger {
        Logger(label: "dashboard-test") { _ in SwiftLogNoOpLogHandler() }
    }

    static func service(_ name: ServiceName, _ status: HealthStatus, critical: Bool = true, restarts: Int = 0) -> ServiceHealth {
        ServiceHealth(name: name, status: status, isCritical: critical, restarts: restarts, since: since)
    }

    /// A report whose JSON is distinctive (so a test can tell it was served unchanged).
    static func report(_ overall: HealthStatus, services: [ServiceHealth] = []) -> HealthReport {
        let json = #"{"overall":"\#(overall.rawValue)","updated_at":"2026-03-16T14:00:00Z","services":{"trading-bot":{"status":"OK"}}}"#
        return HealthReport(overall: overall, json: Array(json.utf8), services: services)
    }

    /// Runs a dashboard on an ephemeral loopback port with a recorder on `bus` (the recorder running too),
    /// and calls `body` with the port.
    static func withDashboard<Result: Sendable>(
        health: StubHealth, bus: EventBus = EventBus(), limits: ConnectionLimits = .standard,
        _ body: @Sendable (_ port: Int, _ server: DashboardServer, _ recorder: MetricsRecorder) async throws -> Result
    ) async throws -> Result {
        let recorder = MetricsRecorder(bus: bus)
        let server = try DashboardServer(port: 0, health: health, metrics: recorder, limits: limits, logger: quietLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await recorder.run() }
            defer { group.cancelAll() }
            return try await server.withRunning { port in try await body(port, server, recorder) }
        }
    }

    static func get(_ port: Int, _ path: String, method: String = "GET") async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = HTTPMethod(rawValue: method)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 22)
        return Answer(status: Int(response.status.code), contentType: response.headers.first(name: "content-type"), body: Array(body.readableBytesView))
    }

    /// `GET /metrics`, parsed.
    static func scrape(_ port: Int) async throws -> PrometheusText {
        let answer = try await get(port, "/metrics")
        try #require(answer.status == 200, "GET /metrics → \(answer.status) \(answer.text)")
        return try PrometheusText(parsing: answer.text)
    }

    /// Waits until `recorder` has recorded the event with `sequence`, failing after `seconds`.
    static func waitUntilRecorded(_ recorder: MetricsRecorder, through sequence: UInt64, seconds: Int = 30) async throws {
        let recorded = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { await recorder.waitUntilProcessed(through: sequence) }
            group.addTask {
                // A deadline, not a synchronisation: the recorder normally answers at once.
                try await Task.sleep(for: .seconds(seconds))
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        try #require(recorded, "the recorder did not record event \(sequence) within \(seconds) s")
    }
}
