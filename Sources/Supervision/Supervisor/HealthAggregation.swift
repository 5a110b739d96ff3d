import Primitives
/// The rule of shared/DESIGN.md that turns per-service health into the system's: FAILED if any critical
/// service is FAILED; STARTING while any critical service is STARTING, or any service at all during the
/// start-up (until every service has made its first real report); DEGRADED if any critical service is
/// DEGRADED or any supportive one is FAILED or (after the start-up) starting again, or while trading is
/// held by a system hold (FAILED_STATE, FAILED_JOURNAL, FAILED_RECONCILIATION: DEGRADED with that
/// reason — the system is not trading as it should, so it is never OK); otherwise OK. A FAILED
/// system carries the reason of its failed critical services, the most persistent one first (a
/// configuration fault outranks a schema fault, which outranks the rest).
public enum HealthAggregation {
    /// Reasons in the order they are reported when several critical services fail at once.
    static let precedence: [FailureReason] = [.config, .apiSchema, .state, .journal, .reconciliation, .restarts, .service]

    /// `startingUp`: the process has not yet heard a first real report from every service.
    /// `systemHold`: why the system holds trading, when a hold of its own is in force.
    public static func overall(_ services: [ServiceHealth], startingUp: Bool = false, systemHold: FailureReason? = nil) -> OverallHealth {
        let failedCritical = services.filter { $0.isCritical && $0.status == .failed }
        if !failedCritical.isEmpty {
            let reasons = Set(failedCritical.map { $0.reason ?? .service })
            let reason = precedence.first { reasons.contains($0) } ?? .service
            return OverallHealth(status: .failed, reason: reason)
        }
        let starting = services.contains { $0.status == .starting && ($0.isCritical || startingUp) }
        if starting { return OverallHealth(status: .starting, reason: nil) }
        let degraded = services.contains { service in
            (service.isCritical && service.status == .degraded)
                || (!service.isCritical && (service.status == .failed || service.status == .starting))
        }
        if let systemHold { return OverallHealth(status: .degraded, reason: systemHold) }
        return OverallHealth(status: degraded ? .degraded : .ok, reason: nil)
    }
}
