import Primitives

/// A call to Alpaca or Unusual Whales that did not give a usable answer, classified.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// A failure of one of the classes of the self-healing table.
        case failure(APIErrorClass)
        /// 404: what was asked for does not exist.
        case notFound
        /// The broker refused the order for a business reason; not retried, journaled as a rejection.
        case orderRefused(code: Int?)
    }

    public var kind: Kind
    public var api: String
    public var endpoint: String
    public var status: Int?
    /// What went wrong, for the log and the screen. Never holds a secret: it is built from the
    /// endpoint (no host, no query) and the response's own message.
    public var message: String
    public var attempts: Int

    public init(kind: Kind, api: String, endpoint: String, status: Int? = nil, message: String, attempts: Int = 1) {
        self.kind = kind
        self.api = api
        self.endpoint = endpoint
        self.status = status
        self.message = message
        self.attempts = attempts
    }

    /// The class of the self-healing table; order refusals and 404s are UNKNOWN (not retried).
    public var errorClass: APIErrorClass {
        if case .failure(let errorClass) = kind { return errorClass }
        return .unknown
    }

    public var description: String {
        let label: String =
            switch kind {
            case .failure(let errorClass): errorClass.rawValue
            case .notFound: "NOT_FOUND"
            case .orderRefused(let code): "ORDER_REFUSED" + (code.map { " \($0)" } ?? "")
            }
        let status = self.status.map { " (HTTP \($0))" } ?? ""
        let tries = attempts > 1 ? " after \(attempts) attempts" : ""
        return "\(label) \(api) \(endpoint)\(status)\(tries): \(message)"
    }
}
extension APIError: ClassifiedError {}
