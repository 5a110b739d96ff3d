import Foundation
import TestSupport
import Testing

@testable import MarketClients
import Primitives
import TradingModel

struct APIRequesterTests {
    private let account = #"{"id":"a","status":"ACTIVE","currency":"USD","cash":"1","equity":"2","buying_power":"3"}"#

    private func events(_ subscription: EventSubscription, _ bus: EventBus) async -> [EventKind] {
        bus.finish()
        var kinds: [EventKind] = []
        for await event in subscription { kinds.append(event.kind) }
        return kinds
    }

    /// Transient failures are retried with backoff; each failed attempt and the recovery are events and log lines.
    @Test func recoversAfterTransientFailures() async throws {
        let clock = ManualClock()
        let bus = EventBus(clock: clock)
        let subscription = bus.subscribe(name: "test")
        let log = LogCapture()
        let transport = FakeTransport(responses: [.failure(TransportError(.connectionReset)), .success(.json(503, "")), .success(.json(200, account))])
        let requester = makeRequester(transport, clock: clock, bus: bus, log: log)
        let result = try await drive(clock) { try await requester.get("/v2/account", as: AlpacaAccount.self) }
        #expect(result.equity == 2)
        #expect(transport.requests.count == 3)
        let kinds = await events(subscription, bus)
        let failures = kinds.compactMap { if case .apiError(let failure) = $0 { failure } else { nil } }
        #expect(failures.map(\.errorClass) == [.network, .network])
        #expect(failures.map(\.willRetry) == [true, true])
        #expect(kinds.contains { if case .apiRecovered(let recovery) = $0 { recovery.failedAttempts == 2 } else { false } })
        #expect(log.lines.filter { $0.message == "API call failed" }.count == 2)
        #expect(log.lines.contains { $0.message == "API call recovered" })
    }

    /// After the last attempt the error is thrown, classified, with the attempts counted.
    @Test func givesUpAfterTheLastAttempt() async throws {
        let clock = ManualClock()
        let bus = EventBus(clock: clock)
        let subscription = bus.subscribe(name: "test")
        let transport = FakeTransport(responses: [.success(.json(502, "<html>bad gateway</html>"))])
        let requester = makeRequester(transport, clock: clock, bus: bus)
        await #expect {
            try await drive(clock) { try await requester.get("/v2/account", as: AlpacaAccount.self) }
        } throws: { error in
            let error = error as? APIError
            return error?.errorClass == .network && error?.attempts == 3 && error?.message == "HTTP 502 with an HTML body"
        }
        #expect(transport.requests.count == 3)
        let failures = await events(subscription, bus).compactMap { if case .apiError(let failure) = $0 { failure } else { nil } }
        #expect(failures.map(\.willRetry) == [true, true, false])
    }

    /// AUTH, SCHEMA-free refusals and UNKNOWN fail fast: one attempt.
    @Test(arguments: [
        (403, #"{"message":"forbidden."}"#, APIError.Kind.failure(.auth)),
        (401, "", .failure(.auth)),
        (418, "", .failure(.unknown)),
        (404, #"{"code":40410000,"message":"not found"}"#, .notFound),
        (422, #"{"code":40010001,"message":"client_order_id must be unique"}"#, .orderRefused(code: 40010001)),
        (403, #"{"code":40310000,"message":"insufficient buying power"}"#, .orderRefused(code: 40310000)),
    ])
    func failsFast(status: Int, body: String, kind: APIError.Kind) async {
        let transport = FakeTransport(responses: [.success(.json(status, body))])
        let requester = makeRequester(transport)
        await #expect {
            try await requester.get("/v2/account", as: AlpacaAccount.self)
        } throws: { error in
            (error as? APIError)?.kind == kind
        }
        #expect(transport.requests.count == 1)
    }

    /// A 429 waits until X-Ratelimit-Reset, then retries.
    @Test func honoursTheRateLimitReset() async throws {
        let clock = ManualClock(now: .seconds(1_000))
        let transport = FakeTransport(responses: [
            .success(.json(429, #"{"message":"too many requests."}"#, headers: [("X-Ratelimit-Limit", "200"), ("X-Ratelimit-Remaining", "0"), ("X-Ratelimit-Reset", "1007")])),
            .success(.json(200, account)),
        ])
        let requester = makeRequester(transport, clock: clock)
        let task = Task { try await requester.get("/v2/account", as: AlpacaAccount.self) }
        #expect(await clock.waitForSleepers(), "nothing slept on the clock")
        #expect(clock.nextDeadline == .seconds(1_007))
        #expect(transport.requests.count == 1)
        clock.advance(to: .seconds(1_007))
        #expect(try await task.value.equity == 2)
        #expect(transport.requests.count == 2)
    }

    /// No attempt starts past the total deadline.
    @Test func totalDeadline() async {
        let clock = ManualClock()
        let transport = FakeTransport(responses: [.failure(TransportError(.timeout))])
        let requester = makeRequester(transport, clock: clock, policy: RetryPolicy(maxAttempts: 10, baseDelay: .seconds(1), maxDelay: .seconds(8), totalDeadline: .seconds(5)))
        await #expect(throws: APIError.self) {
            try await drive(clock) { try await requester.get("/v2/account", as: AlpacaAccount.self) }
        }
        #expect(transport.requests.count < 10)
        #expect(transport.requests.count >= 2)
    }

    /// A request that must not be repeated is tried once even on a transient failure.
    @Test func neverRetryMeansOnce() async {
        let transport = FakeTransport(responses: [.failure(TransportError(.connectionReset))])
        let requester = makeRequester(transport)
        await #expect(throws: APIError.self) { try await requester.send("POST", "/v2/orders", retry: .never) }
        #expect(transport.requests.count == 1)
    }

    /// Keys travel in headers only: never in the URL, an error or an event.
    @Test func secretsStayInHeaders() async throws {
        let clock = ManualClock()
        let bus = EventBus(clock: clock)
        let subscription = bus.subscribe(name: "test")
        let log = LogCapture()
        let transport = FakeTransport(responses: [.success(.json(403, #"{"message":"forbidden."}"#))])
        let requester = makeRequester(transport, clock: clock, bus: bus, log: log)
        var thrown = ""
        do { _ = try await requester.get("/v2/account", query: [("x", "1")], as: AlpacaAccount.self) } catch { thrown = "\(error)" }
        let request = try #require(transport.requests.first)
        #expect(request.header("APCA-API-SECRET-KEY") == "SECRETSECRETSECRET98765")
        #expect(!request.url.absoluteString.contains("SECRET"))
        #expect(!thrown.contains("SECRET"))
        #expect(!log.lines.description.contains("SECRET"))
        let kinds = await events(subscription, bus)
        #expect(!"\(kinds)".contains("SECRETSECRET"))
    }
}

struct RateLimitingTests {
    /// The bucket gives its capacity at once, then one token per period ÷ capacity.
    @Test func tokenBucket() {
        var bucket = TokenBucket(requestsPerPeriod: 200, period: .seconds(60), now: .seconds(0))
        for _ in 0..<200 { #expect(bucket.take(at: .seconds(0)) == nil) }
        #expect(bucket.take(at: .seconds(0)) == .milliseconds(300))
        #expect(bucket.take(at: Timestamp.seconds(0).advanced(by: .milliseconds(300))) == nil)
        #expect(bucket.take(at: Timestamp.seconds(0).advanced(by: .milliseconds(300))) != nil)
        var shared = TokenBucket(requestsPerPeriod: 200, share: 0.25, now: .seconds(0))
        for _ in 0..<50 { #expect(shared.take(at: .seconds(0)) == nil) }
        #expect(shared.take(at: .seconds(0)) == .milliseconds(1200))
    }

    /// The limiter makes the 201st request in a minute wait on the clock rather than reach the server.
    @Test func limiterWaits() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(requestsPerMinute: 2, clock: clock)
        try await limiter.acquire()
        try await limiter.acquire()
        let third = Task { try await limiter.acquire() }
        #expect(await clock.waitForSleepers(), "nothing slept on the clock")
        #expect(clock.nextDeadline == clock.now.advanced(by: .seconds(30)))
        clock.advance(by: .seconds(30))
        try await third.value
    }

    /// Backoff doubles up to its cap and its jitter stays within [half, whole] of the step.
    @Test func backoff() {
        let policy = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .milliseconds(400))
        var generator = SeededGenerator(seed: 3)
        for (attempt, step) in [(1, 100), (2, 200), (3, 400), (4, 400), (9, 400)] {
            for _ in 0..<50 {
                let delay = policy.backoff(afterAttempt: attempt, using: &generator)
                #expect(delay >= .milliseconds(step / 2) && delay <= .milliseconds(step))
            }
        }
    }
}
