import Primitives
import Prometheus

/// One metric Bulwark exposes on `/metrics`: its name, type, labels and help text. The README's
/// "Dashboard and metrics" section lists the same ones (a test checks it).
public struct MetricDefinition: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case counter, gauge
    }

    public var name: String
    public var kind: Kind
    public var labels: [String]
    public var help: String

    public init(name: String, kind: Kind, labels: [String], help: String) {
        self.name = name
        self.kind = kind
        self.labels = labels
        self.help = help
    }

    /// The descriptor the Prometheus registry takes (the name is used whole, with its help text).
    var descriptor: MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}

extension MetricDefinition {
    public static let orders = MetricDefinition(
        name: "bulwark_orders_total", kind: .counter, labels: ["outcome"],
        help: "Order events by outcome: submitted, filled, rejected (by the broker), guard_rejected.")
    public static let guardRejections = MetricDefinition(
        name: "bulwark_guard_rejections_total", kind: .counter, labels: ["check"],
        help: "Orders the trade guard refused, by the check that refused them.")
    public static let apiErrors = MetricDefinition(
        name: "bulwark_api_errors_total", kind: .counter, labels: ["class"],
        help: "Failed calls to outside APIs (each attempt), by error class.")
    public static let serviceRestarts = MetricDefinition(
        name: "bulwark_service_restarts_total", kind: .counter, labels: ["service"],
        help: "Restarts of each service by the supervisor (the highest restart count it reported).")
    public static let serviceHealth = MetricDefinition(
        name: "bulwark_service_health", kind: .gauge, labels: ["service"],
        help: "Health of each service: 0 OK, 1 DEGRADED, 2 FAILED, 3 STARTING, 4 STOPPED.")
    public static let overallHealth = MetricDefinition(
        name: "bulwark_overall_health", kind: .gauge, labels: [],
        help: "Overall health: 0 OK, 1 DEGRADED, 2 FAILED, 3 STARTING, 4 STOPPED.")
    public static let busEventsDropped = MetricDefinition(
        name: "bulwark_bus_events_dropped", kind: .gauge, labels: ["subscriber"],
        help: "Events each live event-bus subscriber lost because its buffer was full (exact, read at scrape time).")
    public static let busEventsPublished = MetricDefinition(
        name: "bulwark_bus_events_published_total", kind: .counter, labels: [],
        help: "Events published on the event bus.")
    public static let equity = MetricDefinition(
        name: "bulwark_equity_usd", kind: .gauge, labels: [],
        help: "Account equity in USD from the latest account snapshot.")
    /// Recorded through swift-metrics (so it has no HELP line on `/metrics`).
    public static let dashboardRequests = MetricDefinition(
        name: "bulwark_dashboard_requests_total", kind: .counter, labels: ["route", "status"],
        help: "Requests the dashboard answered, by route (/api/system/health, /metrics or other) and HTTP status.")

    /// Every metric on `/metrics`.
    public static let all: [MetricDefinition] = [
        orders, guardRejections, apiErrors, serviceRestarts, serviceHealth, overallHealth, busEventsDropped,
        busEventsPublished, equity, dashboardRequests,
    ]
}

/// The values of `bulwark_orders_total`'s `outcome` label.
public enum OrderOutcome: String, Hashable, Sendable, CaseIterable {
    case submitted
    case filled
    case rejected
    case guardRejected = "guard_rejected"
}

extension HealthStatus {
    /// The value of the health gauges: 0 OK, 1 DEGRADED, 2 FAILED, 3 STARTING, 4 STOPPED (the first three
    /// as they always were).
    var gaugeValue: Double {
        switch self {
        case .ok: 0
        case .degraded: 1
        case .failed: 2
        case .starting: 3
        case .stopped: 4
        }
    }
}
