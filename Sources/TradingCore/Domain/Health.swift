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
}

public enum HealthStatus: String, Hashable, Sendable, Codable, Comparable, CaseIterable {
    case ok = "OK"
    case degraded = "DEGRADED"
    case failed = "FAILED"

    private var severity: Int {
        switch self {
        case .ok: 0
        case .degraded: 1
        case .failed: 2
        }
    }

    public static func < (lhs: HealthStatus, rhs: HealthStatus) -> Bool { lhs.severity < rhs.severity }
}

/// Why the whole system is FAILED.
public enum FailureReason: String, Hashable, Sendable, Codable, CaseIterable {
    case config = "FAILED_CONFIG"
    case apiSchema = "FAILED_API_SCHEMA"
    case reconciliation = "FAILED_RECONCILIATION"
    case restarts = "FAILED_RESTARTS"
    case state = "FAILED_STATE"
    case service = "FAILED_SERVICE"
}

public struct ServiceHealth: Hashable, Sendable, Codable {
    public var name: ServiceName
    public var status: HealthStatus
    public var isCritical: Bool
    public var detail: String?
    public var restarts: Int
    public var lastError: String?
    /// Why the service is FAILED, when it is (FAILED_CONFIG, FAILED_RESTARTS, …).
    public var reason: FailureReason?
    public var since: Timestamp

    public init(
        name: ServiceName, status: HealthStatus, isCritical: Bool, detail: String? = nil, restarts: Int = 0,
        lastError: String? = nil, reason: FailureReason? = nil, since: Timestamp
    ) {
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
