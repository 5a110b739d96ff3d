/// The services the supervisor runs, by the names of the original system.
public struct ServiceName: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public static let tradingBot: ServiceName = "trading-bot"
    public static let uwDaemon: ServiceName = "uw-daemon"
    public static let dashboard: ServiceName = "dashboard"
    public static let heartbeatKeeper: ServiceName = "heartbeat-keeper"
    /// The trading stream (supportive): DEGRADED while orders are followed over REST instead.
    public static let tradeStream: ServiceName = "trade-stream"
    /// The market-data stream (supportive): DEGRADED while quotes are polled over REST instead.
    public static let quoteStream: ServiceName = "quote-stream"
}

/// A service's (or the system's) health. STARTING: not yet known to be serving — started (or restarted)
/// and no real report of its own yet. STOPPED: the process stopped cleanly. Neither is ever OK.
public enum HealthStatus: String, Hashable, Sendable, Codable, Comparable, CaseIterable {
    case ok = "OK"
    case starting = "STARTING"
    case degraded = "DEGRADED"
    case failed = "FAILED"
    case stopped = "STOPPED"

    private var severity: Int {
        switch self {
        case .ok: 0
        case .starting: 1
        case .degraded: 2
        case .failed: 3
        case .stopped: 4
        }
    }

    /// Whether `GET /api/system/health` answers 200 for it: only OK and DEGRADED (the system trades).
    public var isAvailable: Bool { self == .ok || self == .degraded }

    public static func < (lhs: HealthStatus, rhs: HealthStatus) -> Bool { lhs.severity < rhs.severity }
}

/// Why the whole system is FAILED.
public enum FailureReason: String, Hashable, Sendable, Codable, CaseIterable {
    case config = "FAILED_CONFIG"
    case apiSchema = "FAILED_API_SCHEMA"
    case reconciliation = "FAILED_RECONCILIATION"
    case restarts = "FAILED_RESTARTS"
    case state = "FAILED_STATE"
    case journal = "FAILED_JOURNAL"
    case service = "FAILED_SERVICE"
}

public struct ServiceHealth: Hashable, Sendable, Codable {
    public var name: ServiceName
    public var status: HealthStatus
    public var isCritical: Bool
    public var detail: String?
    public var restarts: Int
    public var lastError: String?
    /// The last error's stable code (`api.auth`, `state.write_failed`), when it had one: what an operator
    /// searches the log and the README's error list for.
    public var lastErrorCode: String?
    /// Why the service is FAILED, when it is (FAILED_CONFIG, FAILED_RESTARTS, …).
    public var reason: FailureReason?
    public var since: Timestamp
    /// When the last restart happened and why (nil before any).
    public var lastRestart: Restart?

    /// One restart of a service: when, and why.
    public struct Restart: Hashable, Sendable, Codable {
        public var at: Timestamp
        public var reason: String

        public init(at: Timestamp, reason: String) {
            self.at = at
            self.reason = reason
        }
    }

    public init(
        name: ServiceName, status: HealthStatus, isCritical: Bool, detail: String? = nil, restarts: Int = 0,
        lastError: String? = nil, lastErrorCode: String? = nil, reason: FailureReason? = nil, since: Timestamp,
        lastRestart: Restart? = nil
    ) {
        self.lastErrorCode = lastErrorCode
        self.lastRestart = lastRestart
        self.name = name
        self.status = status
        self.isCritical = isCritical
        self.detail = detail
        self.restarts = restarts
        self.lastError = lastError
        self.reason = reason
        self.since = since
    }
}

public struct OverallHealth: Hashable, Sendable, Codable {
    public var status: HealthStatus
    public var reason: FailureReason?

    public init(status: HealthStatus, reason: FailureReason?) {
        self.status = status
        self.reason = reason
    }
}
