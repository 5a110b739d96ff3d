import Foundation
import Logging
import PaperExchange
import Primitives
import Settings
import TestSupport
import Testing

/// Credentials and helpers for running a real exchange on loopback with a manual clock.
enum Harness {
    static let keyID = "PKTESTKEY0000ABCD1234"
    static let secretKey = "SKtestsecret0000WXYZ9876"
    static let flowToken = "UWtesttoken0000QRST5555"
    static let start = Timestamp(rfc3339: "2026-03-16T14:00:00Z")!

    static var quietLogger: Logger {
        Logger(label: "paper-exchange-test") { _ in SwiftLogNoOpLogHandler() }
    }

    static func options(
        seed: UInt64 = 7, stateDirectory: String? = nil, faultControls: Bool = false, rateLimit: Int = 200
    ) -> ExchangeServer.Options {
        ExchangeServer.Options(
            keyID: Secret(keyID), secretKey: Secret(secretKey), flowToken: Secret(flowToken),
            book: ExchangeBook.Configuration(seed: seed), stateDirectory: stateDirectory,
            rateLimitPerMinute: rateLimit, faultControls: faultControls)
    }

    /// Starts an exchange, runs `body` with a client for it, then stops it.
    static func withExchange<Result: Sendable>(
        _ options: ExchangeServer.Options = options(), clock: ManualClock = ManualClock(now: start),
        _ body: @Sendable (ExchangeServer, ExchangeClient) async throws -> Result
    ) async throws -> Result {
        let server = try ExchangeServer(options: options, clock: clock, logger: quietLogger)
        return try await server.withRunning { port in
            try await body(server, ExchangeClient(port: port))
        }
    }
}

/// Requests to one exchange, with Alpaca's keys (or the UW token) attached.
struct ExchangeClient: Sendable {
    enum Credentials: Sendable {
        case alpaca
        case flow
        case none
        case custom([(String, String)])
    }

    let port: Int

    func request(
        _ method: String, _ path: String, body: String? = nil, credentials: Credentials = .alpaca
    ) async throws -> HTTPReply {
        let headers: [(String, String)]
        switch credentials {
        case .alpaca: headers = [("APCA-API-KEY-ID", Harness.keyID), ("APCA-API-SECRET-KEY", Harness.secretKey)]
        case .flow: headers = [("Authorization", "Bearer \(Harness.flowToken)")]
        case .none: headers = []
        case .custom(let custom): headers = custom
        }
        return try await RawHTTPClient.send(port: port, method: method, path: path, headers: headers, body: body)
    }

    func get(_ path: String, credentials: Credentials = .alpaca) async throws -> HTTPReply {
        try await request("GET", path, credentials: credentials)
    }

    func post(_ path: String, _ body: String) async throws -> HTTPReply {
        try await request("POST", path, body: body)
    }

    func delete(_ path: String) async throws -> HTTPReply {
        try await request("DELETE", path)
    }

    /// GET that must answer 200; returns the JSON.
    func json(_ path: String, credentials: Credentials = .alpaca) async throws -> JSONValue {
        let reply = try await get(path, credentials: credentials)
        try #require(reply.status == 200, "GET \(path) → \(reply.status) \(reply.text)")
        return try reply.json
    }

    /// Submits an order that must be accepted; returns its JSON.
    func order(_ body: String) async throws -> JSONValue {
        let reply = try await post("/v2/orders", body)
        try #require(reply.status == 200, "POST /v2/orders \(body) → \(reply.status) \(reply.text)")
        return try reply.json
    }
}

extension JSONValue {
    /// The string at `key`, or a failed expectation.
    func string(_ key: String) throws -> String {
        try #require(self[key]?.stringValue, "\(key) missing or not a string in \(serialized)")
    }

    func decimal(_ key: String) throws -> Decimal {
        try #require(self[key]?.decimalValue, "\(key) missing or not a decimal in \(serialized)")
    }
}

extension Decimal {
    /// Rounded to `places` decimals (test-side helper).
    func rounded(to places: Int) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, places, .plain)
        return result
    }
}
