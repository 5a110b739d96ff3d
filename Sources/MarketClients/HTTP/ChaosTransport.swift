import Foundation
import Primitives
import TradingModel

/// The chaos modes that act on API traffic, between the clients and HTTP. When none of them is on,
/// requests go straight to the real transport, untouched. They work the same against the paper exchange
/// and Alpaca's paper endpoint, and are locked against a live account by the switchboard.
public struct ChaosTransport: HTTPTransport {
    /// Which API this transport carries, since modes target one or another.
    public enum Target: Sendable {
        case broker, marketData, flow
    }

    public static let invalidCredential = "chaos-invalid-credential"
    /// The wait the `rate_limit` mode's 429s ask for.
    public static let rateLimitReset: Duration = .seconds(2)
    /// The delay the `latency` mode adds to every request.
    public static let addedLatency: Duration = .milliseconds(1500)
    /// Fields the `schema_drift` mode removes from responses (every contract requires at least one).
    static let driftFields: Set<String> = ["equity", "id", "symbol", "is_open", "quote", "quotes", "data", "qty", "status"]

    private let inner: any HTTPTransport
    private let switchboard: ChaosSwitchboard
    private let target: Target
    private let clock: any WallClock

    public init(wrapping inner: any HTTPTransport, switchboard: ChaosSwitchboard, target: Target, clock: any WallClock) {
        self.inner = inner
        self.switchboard = switchboard
        self.target = target
        self.clock = clock
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        let modes = switchboard.activeModes
        guard !modes.isEmpty else { return try await inner.send(request, timeout: timeout) }
        let alpaca = target != .flow

        if alpaca && modes.contains(.alpacaDown) || !alpaca && modes.contains(.uwDown) {
            throw TransportError(.connectionRefused, "chaos: \(alpaca ? "alpaca_down" : "uw_down")")
        }
        if modes.contains(.latency) {
            do {
                try await clock.sleep(for: Self.addedLatency)
            } catch {
                throw TransportError(.other, "cancelled")
            }
        }
        if alpaca && modes.contains(.rateLimit) {
            let reset = clock.now.advanced(by: Self.rateLimitReset)
            return HTTPResponse(
                status: 429,
                headers: [("X-Ratelimit-Limit", "200"), ("X-Ratelimit-Remaining", "0"), ("X-Ratelimit-Reset", "\(reset.epochComponents.seconds + 1)")],
                body: Array(#"{"message":"too many requests."}"#.utf8))
        }
        var outgoing = request
        if alpaca && modes.contains(.invalidCreds) {
            outgoing.headers = request.headers.map { header in
                header.name.lowercased().hasPrefix("apca-api-") ? (header.name, Self.invalidCredential) : header
            }
        }
        var response = try await inner.send(outgoing, timeout: timeout)
        if modes.contains(.schemaDrift), (200..<300).contains(response.status) {
            response.body = Self.drift(response.body)
        }
        return response
    }

    /// The body with the contract's required fields removed (at the top level and one level down).
    static func drift(_ body: [UInt8]) -> [UInt8] {
        func strip(_ value: Any) -> Any {
            if var object = value as? [String: Any] {
                for key in driftFields { object[key] = nil }
                return object
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(body)),
            let data = try? JSONSerialization.data(withJSONObject: strip(parsed))
        else { return Array("{}".utf8) }
        return Array(data)
    }
}
