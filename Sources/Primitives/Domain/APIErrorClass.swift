/// How a failed call to an outside API is classified, and so how Bulwark responds to it.
public enum APIErrorClass: String, Hashable, Sendable, Codable, CaseIterable {
    /// 401, or 403 without a business code: credentials are wrong. Not retried.
    case auth = "AUTH_ERROR"
    /// 429: wait for the reset, then retry.
    case rateLimit = "RATE_LIMIT"
    /// Connection trouble, timeouts, 5xx: retried with backoff.
    case network = "NETWORK"
    /// The response broke its contract. Not retried.
    case schema = "SCHEMA_ERROR"
    /// Anything else. Not retried.
    case unknown = "UNKNOWN"

    /// Whether a call that failed this way may be tried again.
    public var isTransient: Bool {
        switch self {
        case .rateLimit, .network: true
        case .auth, .schema, .unknown: false
        }
    }
}

/// An error that knows its class (the API clients' errors do), so the supervisor and the engine can tell a
/// persistent fault (AUTH, SCHEMA) from a transient one without knowing the clients. Its description is
/// operator text (the class, the API and endpoint, the answer's own message; never a secret).
public protocol ClassifiedError: Error, CustomStringConvertible {
    var errorClass: APIErrorClass { get }
}

extension APIErrorClass {
    /// The class of `error`: its own when it is a `ClassifiedError`, otherwise UNKNOWN.
    public init(classifying error: any Error) {
        self = (error as? any ClassifiedError)?.errorClass ?? .unknown
    }

    /// The system failure a persistent fault of this class means, if it is one.
    public var failureReason: FailureReason? {
        switch self {
        case .auth: .config
        case .schema: .apiSchema
        case .rateLimit, .network, .unknown: nil
        }
    }
}
