import Logging
import Primitives
import Synchronization
import TradingModel

/// Every service's health, and the system's, kept honest: each service is STARTING, OK, DEGRADED or FAILED
/// with a detail, since when, its restart count (with the last restart's time and reason) and its last
/// error; the overall status follows `HealthAggregation`. A service is STARTING from each (re)start until
/// its first real report — one from the service itself (`Source.service`), made once it actually serves
/// or finds it cannot; it is never OK before. `stop()` marks everything STOPPED on a clean stop. Every
/// change is written to `state/health.json` atomically *before* it is published on the bus (persistence
/// never goes through the bus), and logged; a service that comes back to OK after DEGRADED or FAILED is
/// logged as a recovery.
///
/// A service's status can be reported from several sources at once — the supervisor (crashes,
/// restarts), the service itself (the broker unreachable), the watchdog (the loop not ticking) — and the
/// worst of them is in force, so one source clearing its condition never hides another's.
public final class HealthRegistry: HealthReporter {
    /// Who reports a condition.
    public typealias Source = HealthReportSource
    public typealias Condition = HealthCondition

    /// Called, outside the lock, after every change of the overall health (the link to trading).
    public typealias OverallObserver = @Sendable (OverallHealth, [ServiceHealth]) -> Void

    private struct Entry {
        var health: ServiceHealth
        var conditions: [Source: Condition] = [:]
        /// The service has reported from itself since it was last (re)started.
        var reported = false
        /// It has been DEGRADED or FAILED since it was last OK: reaching OK is a recovery.
        var troubled = false
    }

    private struct State {
        var entries: [Entry]
        var overall: OverallHealth
        var trading: TradingState?
        /// Why the system holds trading, when a hold of its own is in force: never OK then.
        var systemHold: FailureReason?
        var writeFailing = false
        var observers: [OverallObserver] = []
        /// Until every service has made its first real report: see `HealthAggregation`.
        var startingUp = true
        /// Set by `stop()`: nothing changes after it.
        var stoppedAt: Timestamp?
    }

    private let path: String?
    private let clock: any WallClock
    private let bus: EventBus?
    private let logger: Logger
    private let state: Mutex<State>

    /// `services` in the order they are shown; all start STARTING. `path` is where the document is written
    /// (`state/health.json`), nil for none.
    public init(
        services: [(name: ServiceName, isCritical: Bool)], path: String?, clock: any WallClock, bus: EventBus?, logger: Logger
    ) {
        let now = clock.now
        let entries = services.map { Entry(health: ServiceHealth(name: $0.name, status: .starting, isCritical: $0.isCritical, since: now)) }
        self.path = path
        self.clock = clock
        self.bus = bus
        self.logger = logger
        self.state = Mutex(State(entries: entries, overall: HealthAggregation.overall(entries.map(\.health), startingUp: true)))
    }

    /// The standard four: `trading-bot` and `uw-daemon` critical, `dashboard` and `heartbeat-keeper` supportive.
    public static let standardServices: [(name: ServiceName, isCritical: Bool)] = [
        (.tradingBot, true), (.uwDaemon, true), (.dashboard, false), (.heartbeatKeeper, false),
    ]

    public var services: [ServiceHealth] { state.withLock { $0.entries.map(\.health) } }
    public var overall: OverallHealth { state.withLock { $0.overall } }

    public func service(_ name: ServiceName) -> ServiceHealth? {
        state.withLock { $0.entries.first { $0.health.name == name }?.health }
    }

    /// The document as it is now.
    public var document: HealthDocument {
        let now = clock.now
        return state.withLock { HealthDocument(overall: $0.overall, trading: $0.trading, services: $0.entries.map(\.health), updatedAt: now) }
    }

    public func observeOverall(_ observer: @escaping OverallObserver) {
        state.withLock { $0.observers.append(observer) }
    }

    /// Sets `source`'s condition on `name` (OK clears it). `error` becomes the service's last error. A
    /// report from the service itself is its real report: it ends STARTING.
    public func report(_ name: ServiceName, from source: Source, _ condition: Condition, error: String? = nil, errorCode: String? = nil) {
        change(name) { entry in
            if source == .service { entry.reported = true }
            if condition.status == .ok { entry.conditions[source] = nil } else { entry.conditions[source] = condition }
            if let error {
                entry.health.lastError = error
                entry.health.lastErrorCode = errorCode
            }
        }
    }

    /// Counts one restart of `name`.
    public func recordRestart(_ name: ServiceName) {
        change(name) { $0.health.restarts += 1 }
    }

    /// `name` is being (re)started: STARTING (the supervisor's own condition cleared) until its first real
    /// report. With `restartReason`, it counts as a restart, with the time and the reason.
    public func starting(_ name: ServiceName, restartReason: String? = nil) {
        let now = clock.now
        change(name) { entry in
            entry.conditions[.supervisor] = nil
            entry.reported = false
            if let restartReason {
                entry.health.restarts += 1
                entry.health.lastRestart = ServiceHealth.Restart(at: now, reason: restartReason)
            }
        }
    }

    /// A clean stop: every service and the system STOPPED, written with the time; nothing changes after.
    public func stop() {
        let now = clock.now
        let outcome = state.withLock { state -> OverallHealth? in
            guard state.stoppedAt == nil else { return nil }
            state.stoppedAt = now
            for index in state.entries.indices {
                state.entries[index].health.status = .stopped
                state.entries[index].health.detail = "stopped at \(now.rfc3339)"
                state.entries[index].health.reason = nil
                state.entries[index].health.since = now
            }
            state.overall = OverallHealth(status: .stopped, reason: nil)
            _ = Self.write(&state, path: path, now: now, logger: logger)
            return state.overall
        }
        guard let overall = outcome else { return }
        logger.notice("health STOPPED", metadata: ["at": "\(now.rfc3339)"])
        bus?.publish(.overallHealth(overall))
    }

    /// The trading state shown in the document, and the system hold behind it if any (the overall status
    /// is never OK while one is in force); written when it changed, published when the overall changed.
    public func setTradingState(_ trading: TradingState, systemHold: FailureReason? = nil) {
        let now = clock.now
        let outcome = state.withLock { state -> (overall: OverallHealth, services: [ServiceHealth], observers: [OverallObserver])? in
            guard state.trading != trading || state.systemHold != systemHold else { return nil }
            state.trading = trading
            state.systemHold = systemHold
            let before = state.overall
            if state.stoppedAt == nil {
                state.overall = HealthAggregation.overall(state.entries.map(\.health), startingUp: state.startingUp, systemHold: systemHold)
            }
            _ = Self.write(&state, path: path, now: now, logger: logger)
            guard state.overall != before else { return nil }
            return (state.overall, state.entries.map(\.health), state.observers)
        }
        guard let outcome else { return }
        logger.log(
            level: outcome.overall.status == .ok ? .notice : .warning, "overall health \(outcome.overall.status.rawValue)",
            metadata: ["reason": "\(outcome.overall.reason?.rawValue ?? "-")", "trading": "\(trading.mode.rawValue)"])
        bus?.publish(.overallHealth(outcome.overall))
        for observer in outcome.observers { observer(outcome.overall, outcome.services) }
    }

    /// Writes the document as it is (at start, before anything has changed).
    public func writeNow() {
        let now = clock.now
        state.withLock { _ = Self.write(&$0, path: path, now: now, logger: logger) }
    }

    private func change(_ name: ServiceName, _ edit: (inout Entry) -> Void) {
        let now = clock.now
        let outcome = state.withLock { state -> Outcome? in
            guard state.stoppedAt == nil, let index = state.entries.firstIndex(where: { $0.health.name == name }) else { return nil }
            var entry = state.entries[index]
            let before = entry.health
            let wasTroubled = entry.troubled
            edit(&entry)
            let worst = entry.conditions.values.max { $0.status < $1.status }
            entry.health.status = worst?.status ?? (entry.reported ? .ok : .starting)
            entry.health.detail = worst?.detail
            entry.health.reason = worst?.status == .failed ? (worst?.reason ?? .service) : nil
            if entry.health.status == .degraded || entry.health.status == .failed { entry.troubled = true }
            if entry.health.status == .ok { entry.troubled = false }
            if entry.health.status != before.status { entry.health.since = now }
            state.entries[index] = entry
            if state.startingUp, !state.entries.contains(where: { $0.health.status == .starting }) { state.startingUp = false }
            guard entry.health != before else { return nil }
            let overallBefore = state.overall
            state.overall = HealthAggregation.overall(state.entries.map(\.health), startingUp: state.startingUp, systemHold: state.systemHold)
            _ = Self.write(&state, path: path, now: now, logger: logger)
            return Outcome(
                before: before, after: entry.health, recovered: wasTroubled, overall: state.overall,
                overallChanged: state.overall != overallBefore, services: state.entries.map(\.health), observers: state.observers)
        }
        guard let outcome else { return }
        log(outcome)
        bus?.publish(.serviceStatus(outcome.after))
        if outcome.overallChanged {
            bus?.publish(.overallHealth(outcome.overall))
            for observer in outcome.observers { observer(outcome.overall, outcome.services) }
        }
    }

    private struct Outcome {
        var before: ServiceHealth
        var after: ServiceHealth
        /// Reaching OK ends a DEGRADED or FAILED spell (not only a start).
        var recovered: Bool
        var overall: OverallHealth
        var overallChanged: Bool
        var services: [ServiceHealth]
        var observers: [OverallObserver]
    }

    private func log(_ outcome: Outcome) {
        let after = outcome.after
        var metadata: Logger.Metadata = ["service": "\(after.name)", "status": "\(after.status.rawValue)"]
        if let detail = after.detail { metadata["detail"] = "\(detail)" }
        if let reason = after.reason { metadata["reason"] = "\(reason.rawValue)" }
        if outcome.before.status != after.status {
            if after.status == .ok, outcome.recovered {
                logger.notice("service recovered", metadata: metadata.merging(["was": "\(outcome.before.status.rawValue)"]) { a, _ in a })
            } else if after.status == .ok {
                logger.notice("service serving", metadata: metadata)
            } else if after.status == .starting {
                if let restart = after.lastRestart, outcome.before.restarts != after.restarts { metadata["restart_reason"] = "\(restart.reason)" }
                logger.info("service starting", metadata: metadata)
            } else {
                logger.log(level: after.status == .failed ? .error : .warning, "service health changed", metadata: metadata)
            }
        }
        if outcome.overallChanged {
            logger.log(
                level: [.ok, .starting].contains(outcome.overall.status) ? .notice : .warning, "overall health \(outcome.overall.status.rawValue)",
                metadata: ["reason": "\(outcome.overall.reason?.rawValue ?? "-")"])
        }
    }

    /// Writes the document under the lock, so files are never written out of order. A failure is logged
    /// once until a write succeeds again; health keeps being tracked in memory either way.
    private static func write(_ state: inout State, path: String?, now: Timestamp, logger: Logger) -> HealthDocument {
        let document = HealthDocument(overall: state.overall, trading: state.trading, services: state.entries.map(\.health), updatedAt: now)
        guard let path else { return document }
        do {
            try AtomicFile.write(Array(document.json.utf8), to: path)
            if state.writeFailing {
                state.writeFailing = false
                logger.notice("health file written again", metadata: ["path": "\(path)"])
            }
        } catch {
            if !state.writeFailing {
                state.writeFailing = true
                logger.error("health file write failed", metadata: ["path": "\(path)", "error": "\(error.message)"])
            }
        }
        return document
    }
}
