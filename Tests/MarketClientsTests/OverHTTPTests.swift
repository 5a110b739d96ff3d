import Foundation
import Logging
import PaperExchange
import TestSupport
import Testing

@testable import MarketClients
import Persistence
import Primitives
import Settings
import TradingModel

/// The clients over real HTTP against the paper exchange and its fault controls: the same code that
/// talks to Alpaca in production.
@Suite(.serialized)
struct OverHTTPTests {
    static let keyID = Secret("PKHTTPTEST00000001234")
    static let secretKey = Secret("SKhttptestsecret0000WXYZ")
    static let flowToken = Secret("UWhttptesttoken000QRST")

    private static func exchange() throws -> ExchangeServer {
        try ExchangeServer(
            options: ExchangeServer.Options(
                keyID: keyID, secretKey: secretKey, flowToken: flowToken, book: ExchangeBook.Configuration(seed: 11),
                stateDirectory: nil, rateLimitPerMinute: 1000, faultControls: true),
            clock: SystemClock(), logger: Logger(label: "exchange") { _ in SwiftLogNoOpLogHandler() })
    }

    private static func connections(
        port: Int, clock: any WallClock = SystemClock(), keyID: Secret = keyID, bus: EventBus? = nil, log: LogCapture = LogCapture()
    ) -> (MarketConnections, AsyncHTTPTransport) {
        let url = URL(string: "http://127.0.0.1:\(port)")!
        let endpoints = BulwarkConfiguration.Endpoints(
            tradingBaseURL: url, dataBaseURL: url, keyID: keyID, secretKey: secretKey, flowBaseURL: url, flowToken: flowToken)
        let transport = AsyncHTTPTransport(connectTimeout: .seconds(2))
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(80), totalDeadline: .seconds(20), attemptTimeout: .seconds(5))
        return (MarketConnections(endpoints: endpoints, transport: transport, clock: clock, bus: bus, logger: log.logger, policy: policy), transport)
    }

    /// Runs `body` against a fresh exchange and shuts the HTTP client down afterwards.
    private func withExchange(
        clock: any WallClock = SystemClock(), keyID: Secret = keyID, bus: EventBus? = nil,
        _ body: @Sendable (ExchangeServer, MarketConnections) async throws -> Void
    ) async throws {
        let server = try Self.exchange()
        try await server.withRunning { port in
            let (connections, transport) = Self.connections(port: port, clock: clock, keyID: keyID, bus: bus)
            do {
                try await body(server, connections)
            } catch {
                try? await transport.shutdown()
                throw error
            }
            try await transport.shutdown()
        }
    }

    private func expectFailure(_ kind: APIError.Kind, attempts: Int? = nil, _ call: () async throws -> Void) async {
        do {
            try await call()
            Issue.record("expected \(kind)")
        } catch let error as APIError {
            #expect(error.kind == kind, "\(error)")
            if let attempts { #expect(error.attempts == attempts, "\(error)") }
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// The start-up compatibility check passes against the exchange with good keys.
    @Test func compatibility() async throws {
        try await withExchange { _, connections in
            let report = await connections.checkCompatibility(quoteSymbol: Symbol("AAPL")!)
            #expect(report.passed, "\(report.lines.map(\.text))")
        }
    }

    /// Wrong keys: the exchange answers 403 forbidden for real → AUTH_ERROR, one attempt, FAILED_CONFIG.
    @Test func authError() async throws {
        try await withExchange(keyID: Secret("PKWRONGWRONGWRONG0000")) { _, connections in
            await expectFailure(.failure(.auth), attempts: 1) { _ = try await connections.trading.accountDetails() }
            #expect(await connections.checkCompatibility(quoteSymbol: Symbol("AAPL")!).failureReason == .config)
        }
    }

    /// 500, 502, 503 and resets are NETWORK: retried, and the call recovers with a recovery event.
    @Test(arguments: [Fault.Kind.status(500), .status(502), .status(503), .resetBeforeHandling])
    func transientRecovers(kind: Fault.Kind) async throws {
        let bus = EventBus()
        let events = bus.subscribe(name: "test")
        try await withExchange(bus: bus) { server, connections in
            try server.injectFault(Fault(route: "GET /v2/account", kind: kind, count: 2))
            let account = try await connections.trading.accountDetails()
            #expect(account.equity > 0)
            #expect(server.pendingFaults.isEmpty)
        }
        bus.finish()
        var failures = 0
        var recovered = false
        for await event in events {
            if case .apiError(let failure) = event.kind, failure.errorClass == .network { failures += 1 }
            if case .apiRecovered(let recovery) = event.kind, recovery.failedAttempts == 2 { recovered = true }
        }
        #expect(failures == 2)
        #expect(recovered)
    }

    /// After the last attempt the client gives up with NETWORK and the attempts counted.
    @Test func givesUp() async throws {
        try await withExchange { server, connections in
            try server.injectFault(Fault(route: "GET /v2/positions", kind: .status(503), count: 5))
            await expectFailure(.failure(.network), attempts: 3) { _ = try await connections.trading.positionDetails() }
            #expect(server.pendingFaults.first?.count == 2)
        }
    }

    /// A refused connection is NETWORK too.
    @Test func connectionRefused() async throws {
        let nobody = try ReservedPort()  // bound, never listening: held for the test, refused to all
        let (connections, transport) = Self.connections(port: nobody.port)
        await expectFailure(.failure(.network), attempts: 3) { _ = try await connections.trading.accountDetails() }
        try await transport.shutdown()
        withExtendedLifetime(nobody) {}
    }

    /// A 429 waits until X-Ratelimit-Reset before the next attempt (when that is within the call's deadline).
    @Test func honoursRateLimitReset() async throws {
        let clock = ManualClock(now: SystemClock().now)
        try await withExchange(clock: clock) { server, connections in
            try server.injectFault(Fault(route: "GET /v2/clock", kind: .rateLimited(resetAfterSeconds: 10), count: 1))
            let task = Task { try await connections.trading.clock() }
            #expect(await clock.waitForSleepers(), "nothing slept on the clock")
            let deadline = try #require(clock.nextDeadline)
            let expected = SystemClock().now.advanced(by: .seconds(10))
            #expect(clock.now.duration(to: deadline) > .seconds(8), "waited only until \(deadline)")
            #expect(deadline.duration(to: expected) > .seconds(-2))
            clock.advance(to: deadline)
            _ = try await task.value
        }
    }

    /// A malformed body or a missing required field is SCHEMA, not retried, naming the field.
    @Test func schema() async throws {
        try await withExchange { server, connections in
            try server.injectFault(Fault(route: "GET /v2/account", kind: .malformedBody))
            await expectFailure(.failure(.schema), attempts: 1) { _ = try await connections.trading.accountDetails() }
            try server.injectFault(Fault(route: "GET /v2/account", kind: .missingField("equity")))
            do {
                _ = try await connections.trading.accountDetails()
                Issue.record("expected a schema error")
            } catch let error as APIError {
                #expect(error.errorClass == .schema)
                #expect(error.message == "missing required field `equity`")
            }
        }
    }

    /// An unknown status is UNKNOWN and not retried.
    @Test func unknown() async throws {
        try await withExchange { server, connections in
            try server.injectFault(Fault(route: "GET /v2/account", kind: .status(418), count: 3))
            await expectFailure(.failure(.unknown), attempts: 1) { _ = try await connections.trading.accountDetails() }
        }
    }

    /// Invalid orders (422) and too little buying power (403 with a code) are order refusals, not retried.
    @Test func orderRefusals() async throws {
        try await withExchange { _, connections in
            let aapl = Symbol("AAPL")!
            let invalid = OrderIntent(clientOrderID: OrderIntent.newClientOrderID(), symbol: aapl, side: .buy, quantity: 0, limitPrice: nil, createdAt: .seconds(0))
            do {
                _ = try await connections.trading.submitOnce(invalid)
                Issue.record("expected a refusal")
            } catch let error as APIError {
                guard case .orderRefused = error.kind else {
                    Issue.record("expected a refusal, got \(error)")
                    return
                }
                #expect(error.status == 422)
            }
            let huge = OrderIntent(clientOrderID: OrderIntent.newClientOrderID(), symbol: aapl, side: .buy, quantity: 1_000_000, limitPrice: nil, createdAt: .seconds(0))
            await expectFailure(.orderRefused(code: 40310000), attempts: 1) { _ = try await connections.trading.submitOnce(huge) }
        }
    }

    /// A connection reset after the exchange recorded the order: exactly one order at the exchange after
    /// the client is done (looked up and adopted); a reset before it was recorded: sent again with the same
    /// id, still one order.
    @Test(arguments: [Fault.Kind.resetAfterHandling, .resetBeforeHandling, .status(503)])
    func exactlyOneOrder(kind: Fault.Kind) async throws {
        try await withTemporaryDirectory { directory in
            try await withExchange { server, connections in
                let store = try StateStore(directory: directory, logger: LogCapture().logger)
                let intent = OrderIntent(clientOrderID: OrderIntent.newClientOrderID(), symbol: Symbol("MSFT")!, side: .buy, quantity: 1, limitPrice: nil, createdAt: .seconds(0))
                try store.update { $0.recordIntent(intent) }
                try server.injectFault(Fault(route: "POST /v2/orders", kind: kind))
                let submitter = OrderSubmitter(client: connections.trading, ledger: store, clock: SystemClock(), policy: RetryPolicy(baseDelay: .milliseconds(20), maxDelay: .milliseconds(50)), logger: LogCapture().logger)
                let accepted = try await submitter.submit(intent)
                #expect(accepted.order.clientOrderID == intent.clientOrderID)
                #expect(accepted.adopted == (kind == .resetAfterHandling))
                let all = try await connections.trading.orders(status: "all")
                #expect(all.filter { $0.clientOrderID == intent.clientOrderID }.count == 1)
                #expect(all.count == 1)
            }
        }
    }
}
