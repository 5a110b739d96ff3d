import Primitives
/// Who reports a service's condition.
public enum HealthReportSource: String, Hashable, Sendable, CaseIterable {
    case supervisor
    case service
    case watchdog
    /// The process's resources: file descriptors run out (the emergency reserve in use).
    case resources
}

/// One source's view of a service: its status, with a detail and a reason when it is not OK.
public struct HealthCondition: Hashable, Sendable {
    public var status: HealthStatus
    public var detail: String?
    public var reason: FailureReason?

    public init(status: HealthStatus, detail: String? = nil, reason: FailureReason? = nil) {
        self.status = status
        self.detail = detail
        self.reason = reason
    }
}

/// Where a service reports its condition: the health registry in production. The engine and the feeds
/// see only this, not the registry that aggregates and persists the reports.
public protocol HealthReporter: Sendable {
    /// Sets `source`'s condition on `name` (OK clears it). `error` becomes the service's last error, with
    /// its code (nil for an error that has none).
    func report(_ name: ServiceName, from source: HealthReportSource, _ condition: HealthCondition, error: String?, errorCode: String?)
}

extension HealthReporter {
    /// Shorthand for `report(name, from:, HealthCondition(status:detail:reason:), error:, errorCode:)`.
    public func report(
        _ name: ServiceName, from source: HealthReportSource, status: HealthStatus, detail: String? = nil, reason: FailureReason? = nil,
        error: String? = nil, errorCode: String? = nil
    ) {
        report(name, from: source, HealthCondition(status: status, detail: detail, reason: reason), error: error, errorCode: errorCode)
    }

    /// Reports with `error` as the last error: its operator text and its code, from the one error model.
    public func report(
        _ name: ServiceName, from source: HealthReportSource, status: HealthStatus, detail: String? = nil, reason: FailureReason? = nil,
        error: any Error
    ) {
        report(
            name, from: source, HealthCondition(status: status, detail: detail, reason: reason), error: error.operatorText,
            errorCode: error.operatorCode)
    }
}
