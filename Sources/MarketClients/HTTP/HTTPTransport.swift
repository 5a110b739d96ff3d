import Foundation

/// One HTTP request as the API clients make it. `endpoint` names it in errors and events
/// (`GET /v2/account`), without the host or query, so no message ever carries a secret or an id.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    public var endpoint: String

    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil, endpoint: String) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.endpoint = endpoint
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Sends requests. The real one is AsyncHTTPClient over the network; tests and chaos wrap it.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the whole response, or throws a `TransportError` when no response
    /// came (refused, reset, timed out, name not resolved).
    func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse
}

/// No HTTP response: the connection failed. Always classified NETWORK (transient).
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case connectionRefused = "connection refused"
        case connectionReset = "connection reset"
        case timeout = "timed out"
        case nameResolution = "host name not resolved"
        case tls = "TLS failure"
        case refusedURL = "URL refused"
        /// No file descriptor was free for the socket; nothing was sent.
        case noDescriptor = "no file descriptor for a connection"
        case other = "transport failure"
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String = "") {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? kind.rawValue : "\(kind.rawValue): \(detail)" }

    /// Whether the request may have reached the server (and, for an order, been recorded there).
    public var isAmbiguous: Bool {
        switch kind {
        case .connectionReset, .timeout, .other: true
        case .connectionRefused, .nameResolution, .tls, .refusedURL, .noDescriptor: false
        }
    }
}
