import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Primitives
import Settings

/// The real transport: AsyncHTTPClient with a connect timeout and a deadline on the whole request.
/// HTTPS to remote hosts; plain HTTP only to loopback (checked on every request, not just at start).
public final class AsyncHTTPTransport: HTTPTransport {
    public static let maximumBodyBytes = 8 * 1024 * 1024

    private let client: HTTPClient

    public init(connectTimeout: Duration = .seconds(5)) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .nanoseconds(connectTimeout.nanoseconds))
        configuration.redirectConfiguration = .disallow
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Closes the connection pool. Call once, before the process ends.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        guard let scheme = request.url.scheme?.lowercased(), let host = request.url.host else {
            throw TransportError(.refusedURL, "\(request.endpoint): no scheme or host")
        }
        guard scheme == "https" || (scheme == "http" && BulwarkConfiguration.isLoopback(host)) else {
            throw TransportError(.refusedURL, "\(request.endpoint): plain \(scheme) to a remote host is refused")
        }
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body {
            outgoing.body = .bytes(ByteBuffer(bytes: body))
            if request.header("content-type") == nil { outgoing.headers.add(name: "Content-Type", value: "application/json") }
        }
        do {
            let response = try await client.execute(outgoing, timeout: .nanoseconds(timeout.nanoseconds))
            let body = try await response.body.collect(upTo: Self.maximumBodyBytes)
            return HTTPResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: Array(buffer: body))
        } catch {
            throw Self.classify(error)
        }
    }

    static func classify(_ error: any Error) -> TransportError {
        // No descriptor for a socket: named as such (and the emergency reserve released), whatever wraps it.
        if let code = exhaustionCode(error) {
            return TransportError(.noDescriptor, SystemError.describe(code))
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .deadlineExceeded, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout:
                return TransportError(.timeout, error.operatorText)
            case .remoteConnectionClosed:
                return TransportError(.connectionReset, "the server closed the connection")
            case .tlsHandshakeTimeout:
                return TransportError(.tls, error.operatorText)
            default:
                return TransportError(.other, error.operatorText)
            }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return TransportError(.connectionRefused, error.operatorText)
            case ECONNRESET, EPIPE: return TransportError(.connectionReset, error.operatorText)
            case ETIMEDOUT: return TransportError(.timeout, error.operatorText)
            default: return TransportError(.other, error.operatorText)
            }
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAAAAError != nil || error.dnsAError != nil, error.connectionErrors.isEmpty {
                return TransportError(.nameResolution, "\(error.host)")
            }
            if let first = error.connectionErrors.first, let io = first.error as? IOError, io.errnoCode == ECONNREFUSED {
                return TransportError(.connectionRefused, "\(error.host):\(error.port)")
            }
            return TransportError(.other, error.operatorText)
        }
        if error is ChannelError {
            return TransportError(.connectionReset, error.operatorText)
        }
        // A request given up by its caller (a deadline raced it, or the service is stopping): no answer came.
        if error is CancellationError { return TransportError(.other, "cancelled") }
        let text = error.operatorText
        if text.lowercased().contains("refused") { return TransportError(.connectionRefused, text) }
        if text.lowercased().contains("reset") { return TransportError(.connectionReset, text) }
        return TransportError(.other, text)
    }

    /// `EMFILE`/`ENFILE` when that is what `error` (or a connection attempt inside it) failed with.
    private static func exhaustionCode(_ error: any Error) -> Int32? {
        if let io = error as? IOError, SystemError.isDescriptorExhaustion(io.errnoCode) { return io.errnoCode }
        if let connection = error as? NIOConnectionError {
            for attempt in connection.connectionErrors {
                if let io = attempt.error as? IOError, SystemError.isDescriptorExhaustion(io.errnoCode) { return io.errnoCode }
            }
        }
        return nil
    }
}
