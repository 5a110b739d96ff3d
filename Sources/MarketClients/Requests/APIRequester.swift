import Foundation
import Logging
import Primitives
import Synchronization
import TradingModel

/// Sends one API's requests the hardened way — DETECT → CLASSIFY → RESPOND → RECOVER:
/// waits for the rate limiter, sends with a timeout, classifies the answer, retries transient failures
/// (NETWORK, RATE_LIMIT) with backoff and jitter within a deadline, fails fast on the rest, and reports
/// every failed attempt and every recovery as an event and a log line. Decoding failures are SCHEMA
/// errors naming the endpoint, the field and what was found.
public final class APIRequester: Sendable {
    public let api: String
    public let baseURL: URL
    private let headers: @Sendable () -> [(name: String, value: String)]
    private let transport: any HTTPTransport
    private let clock: any WallClock
    private let policy: RetryPolicy
    private let rateLimiter: RateLimiter?
    private let bus: EventBus?
    private let logger: Logger
    private let redactor: Redactor
    private let random: Mutex<SeededGenerator>
    private let calls: APICallWindow?

    public init(
        api: String, baseURL: URL, headers: @escaping @Sendable () -> [(name: String, value: String)],
        transport: any HTTPTransport, clock: any WallClock, policy: RetryPolicy = RetryPolicy(),
        rateLimiter: RateLimiter? = nil, bus: EventBus? = nil, logger: Logger, redactor: Redactor = .none,
        jitterSeed: UInt64 = UInt64.random(in: 0...UInt64.max), calls: APICallWindow? = nil
    ) {
        self.calls = calls
        self.api = api
        self.baseURL = baseURL
        self.headers = headers
        self.transport = transport
        self.clock = clock
        self.policy = policy
        self.rateLimiter = rateLimiter
        self.bus = bus
        self.logger = logger
        self.redactor = redactor
        self.random = Mutex(SeededGenerator(seed: jitterSeed))
    }

    /// Whether failures of `class` are retried by `send`.
    public enum Retry: Sendable {
        /// Transient failures are retried (reads, and writes that are safe to repeat).
        case transient
        /// One attempt only: an order submission, whose ambiguous failures need a lookup instead.
        case never
    }

    /// Sends the request and returns a 2xx response; anything else throws a classified `APIError`.
    public func send(
        _ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil, retry: Retry = .transient
    ) async throws(APIError) -> HTTPResponse {
        let endpoint = "\(method) \(path)"
        let request = HTTPRequest(method: method, url: url(path, query: query), headers: headers(), body: body, endpoint: endpoint)
        let start = clock.now
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await rateLimiter?.acquire()
            } catch {
                throw APIError(kind: .failure(.unknown), api: api, endpoint: endpoint, message: "cancelled while waiting for the rate limiter", attempts: attempt)
            }
            let failure: APIError
            var wait: Duration?
            let sentAt = clock.now
            do {
                let response = try await transport.send(request, timeout: policy.attemptTimeout)
                let outcome = ResponseClassifier.classify(status: response.status, body: response.body)
                if case .failure = outcome { recordCall(since: sentAt, failed: true) } else { recordCall(since: sentAt, failed: false) }
                switch outcome {
                case .success:
                    if attempt > 1 { recovered(endpoint: endpoint, failedAttempts: attempt - 1) }
                    return response
                case .notFound:
                    throw APIError(kind: .notFound, api: api, endpoint: endpoint, status: 404, message: message(from: response), attempts: attempt)
                case .orderRefused(let code, let refusal):
                    throw APIError(kind: .orderRefused(code: code), api: api, endpoint: endpoint, status: response.status, message: redactor.redact(refusal), attempts: attempt)
                case .failure(let errorClass):
                    failure = APIError(kind: .failure(errorClass), api: api, endpoint: endpoint, status: response.status, message: message(from: response), attempts: attempt)
                    if errorClass == .rateLimit {
                        wait = RateLimitReset.wait(
                            headers: response.headers, now: clock.now, fallback: backoff(after: attempt), cap: policy.rateLimitWaitCap)
                    }
                }
            } catch let error as APIError {
                throw error
            } catch let error as TransportError {
                recordCall(since: sentAt, failed: true)
                failure = APIError(kind: .failure(.network), api: api, endpoint: endpoint, message: redactor.redact(error.description), attempts: attempt)
            } catch {
                recordCall(since: sentAt, failed: true)
                // Whatever the error carries (a refused header carries its value) passes the redactor first.
                failure = APIError(kind: .failure(.unknown), api: api, endpoint: endpoint, message: redactor.redact(error.operatorText), attempts: attempt)
            }

            let delay = wait ?? backoff(after: attempt)
            let withinDeadline = start.duration(to: clock.now) + delay <= policy.totalDeadline
            let willRetry = retry == .transient && failure.errorClass.isTransient && attempt < policy.maxAttempts && withinDeadline
            report(failure, attempt: attempt, willRetry: willRetry, delay: delay)
            guard willRetry else { throw failure }
            do {
                try await clock.sleep(for: delay)
            } catch {
                throw failure
            }
        }
    }

    /// Sends and decodes the body as `T`.
    public func get<T: Decodable>(_ path: String, query: [(String, String)] = [], as type: T.Type) async throws(APIError) -> T {
        let response = try await send("GET", path, query: query)
        return try decode(type, from: response, endpoint: "GET \(path)")
    }

    /// Decodes a response body as `T`, or throws a SCHEMA error naming the field and what was found.
    public func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, endpoint: String) throws(APIError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            let problem = SchemaProblem.describe(error, body: response.body)
            let failure = APIError(kind: .failure(.schema), api: api, endpoint: endpoint, status: response.status, message: problem)
            report(failure, attempt: 1, willRetry: false, delay: nil)
            throw failure
        }
    }

    func url(_ path: String, query: [(String, String)]) -> URL {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)!
        components.percentEncodedPath = components.percentEncodedPath.trimmingSuffix("/") + path
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        return components.url!
    }

    /// One attempt into the call window (the vital signs' latency and errors per minute).
    private func recordCall(since sentAt: Timestamp, failed: Bool) {
        guard let calls else { return }
        let now = clock.now
        calls.record(api: api, latency: sentAt.duration(to: now), failed: failed, at: now)
    }

    private func backoff(after attempt: Int) -> Duration {
        random.withLock { policy.backoff(afterAttempt: attempt, using: &$0) }
    }

    /// The response's own `message`, or a short description of a body that has none (an HTML page).
    private func message(from response: HTTPResponse) -> String {
        if let body = BrokerErrorBody(response.body), let message = body.message { return redactor.redact(message) }
        let text = String(decoding: response.body.prefix(120), as: UTF8.self)
        if text.lowercased().contains("<html") { return "HTTP \(response.status) with an HTML body" }
        return text.isEmpty ? "HTTP \(response.status) with an empty body" : "HTTP \(response.status): \(redactor.redact(text))"
    }

    private func report(_ failure: APIError, attempt: Int, willRetry: Bool, delay: Duration?) {
        bus?.publish(.apiError(APIFailure(
            api: api, endpoint: failure.endpoint, errorClass: failure.errorClass, message: failure.message,
            attempt: attempt, willRetry: willRetry)))
        var metadata: Logger.Metadata = [
            "api": "\(api)", "endpoint": "\(failure.endpoint)", "class": "\(failure.errorClass.rawValue)",
            "attempt": "\(attempt)", "retry": "\(willRetry)", "error": "\(failure.message)",
        ]
        if let status = failure.status { metadata["status"] = "\(status)" }
        if willRetry, let delay { metadata["retry_in_ms"] = "\(delay.nanoseconds / 1_000_000)" }
        logger.warning("API call failed", metadata: metadata)
    }

    private func recovered(endpoint: String, failedAttempts: Int) {
        bus?.publish(.apiRecovered(APIRecovery(api: api, endpoint: endpoint, failedAttempts: failedAttempts)))
        logger.notice("API call recovered", metadata: ["api": "\(api)", "endpoint": "\(endpoint)", "failed_attempts": "\(failedAttempts)"])
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
