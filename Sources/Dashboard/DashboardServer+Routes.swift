import HTTPTypes
import Hummingbird
import Metrics
import NIOCore
import Primitives

extension DashboardServer {
    static let healthPath = "/api/system/health"
    static let metricsPath = "/metrics"
    /// The Prometheus text exposition format, version 0.0.4.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: DashboardMiddleware(factory: metrics.metricsFactory))
        router.get(RouterPath(Self.healthPath)) { [health] _, _ in
            let report = health.currentHealth()
            // DEGRADED still answers 200: the system trades. FAILED, STARTING (not yet known to serve) and
            // STOPPED are unavailable.
            let status: HTTPResponse.Status = report.overall.isAvailable ? .ok : .serviceUnavailable
            return Self.response(status, contentType: "application/json", bytes: report.json)
        }
        router.get(RouterPath(Self.metricsPath)) { [health, metrics] _, _ in
            Self.response(.ok, contentType: Self.metricsContentType, bytes: metrics.exposition(health: health.currentHealth()))
        }
        return router
    }

    static func response(_ status: HTTPResponse.Status, contentType: String, bytes: [UInt8]) -> Response {
        let headers: HTTPFields = [.contentType: contentType, .cacheControl: "no-store"]
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Answers 404 to anything but the two GET routes (Hummingbird would say 405 for another method on a known
/// path), and counts every answer in `bulwark_dashboard_requests_total` through swift-metrics.
struct DashboardMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    let factory: any MetricsFactory

    func handle(
        _ request: Request, context: BasicRequestContext,
        next: (Request, BasicRequestContext) async throws -> Response
    ) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            response = DashboardServer.response(.notFound, contentType: "text/plain; charset=utf-8", bytes: Array("not found\n".utf8))
        }
        let path = request.uri.path
        let route = path == DashboardServer.healthPath || path == DashboardServer.metricsPath ? path : "other"
        Counter(
            label: MetricDefinition.dashboardRequests.name,
            dimensions: [("route", route), ("status", String(response.status.code))],
            factory: factory
        ).increment()
        return response
    }
}
