import Foundation
import MarketClients
import Primitives
import Testing

struct ResponseClassifierTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Every row of the classification table maps to its class.
    @Test(arguments: [
        (200, "{}", ResponseClass.success),
        (204, "", .success),
        (401, "{\"message\":\"unauthorized.\"}", .failure(.auth)),
        (403, "{\"message\":\"forbidden.\"}", .failure(.auth)),
        (403, "<html><body>403 Forbidden</body></html>", .failure(.auth)),
        (403, "", .failure(.auth)),
        (403, "{\"code\":40310000,\"message\":\"insufficient buying power\"}", .orderRefused(code: 40310000, message: "insufficient buying power")),
        (404, "{\"code\":40410000,\"message\":\"position not found\"}", .notFound),
        (422, "{\"code\":40010001,\"message\":\"client_order_id must be unique\"}", .orderRefused(code: 40010001, message: "client_order_id must be unique")),
        (422, "not json", .orderRefused(code: nil, message: "unprocessable order")),
        (429, "{\"message\":\"too many requests.\"}", .failure(.rateLimit)),
        (408, "", .failure(.network)),
        (500, "", .failure(.network)),
        (502, "<html>bad gateway</html>", .failure(.network)),
        (503, "", .failure(.network)),
        (504, "", .failure(.network)),
        (418, "", .failure(.unknown)),
        (301, "", .failure(.unknown)),
    ])
    func classification(status: Int, body: String, expected: ResponseClass) {
        #expect(ResponseClassifier.classify(status: status, body: bytes(body)) == expected)
    }

    /// A 403 whose `code` is not a whole number is not a business refusal.
    @Test func fractionalCodeIsNotBusiness() {
        #expect(ResponseClassifier.classify(status: 403, body: bytes("{\"code\":1.5}")) == .failure(.auth))
    }

    /// Only network trouble and rate limits are worth retrying.
    @Test func transientClasses() {
        #expect(APIErrorClass.allCases.filter(\.isTransient) == [.rateLimit, .network])
    }

    /// The 429 wait honours X-Ratelimit-Reset, then Retry-After, and is capped and never negative.
    @Test func rateLimitWait() {
        let now = Timestamp.seconds(1_000)
        #expect(RateLimitReset.wait(headers: [("X-Ratelimit-Reset", "1007")], now: now) == .seconds(7))
        #expect(RateLimitReset.wait(headers: [("retry-after", "3")], now: now) == .seconds(3))
        #expect(RateLimitReset.wait(headers: [("X-Ratelimit-Reset", "990")], now: now) == .zero)
        #expect(RateLimitReset.wait(headers: [("X-Ratelimit-Reset", "99999")], now: now, cap: .seconds(30)) == .seconds(30))
        #expect(RateLimitReset.wait(headers: [], now: now, fallback: .seconds(2)) == .seconds(2))
        #expect(RateLimitReset.wait(headers: [("X-Ratelimit-Reset", "soon")], now: now, fallback: .seconds(2)) == .seconds(2))
    }
}
