import Foundation
import Primitives
import TradingModel

/// What the dashboard serves about health: the overall status (which picks the HTTP status of
/// `GET /api/system/health`), the exact bytes of `state/health.json` (its body), and the per-service
/// records behind them (which feed the `/metrics` health gauges).
public struct HealthReport: Sendable {
    public var overall: HealthStatus
    /// The exact bytes of `state/health.json`, served unchanged.
    public var json: [UInt8]
    public var services: [ServiceHealth]
    public var equity: Decimal?

    public init(overall: HealthStatus, json: [UInt8], services: [ServiceHealth], equity: Decimal? = nil) {
        self.overall = overall
        self.json = json
        self.services = services
        self.equity = equity
    }
}

/// Where the dashboard reads health from, on every request (the health registry in the running service).
public protocol HealthSource: Sendable {
    func currentHealth() -> HealthReport
}
