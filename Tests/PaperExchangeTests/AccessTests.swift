import Foundation
import PaperExchange
import TestSupport
import Testing
import Primitives

/// Credentials and the rate limit, as Alpaca and Unusual Whales apply them.
struct AccessTests {
    /// Alpaca routes need both key headers; a wrong or missing one is 403 `{"message":"forbidden."}`.
    @Test func alpacaKeysRequired() async throws {
        try await Harness.withExchange { _, client in
            let wrong: [ExchangeClient.Credentials] = [
                .none,
                .custom([("APCA-API-KEY-ID", Harness.keyID)]),
                .custom([("APCA-API-KEY-ID", Harness.keyID), ("APCA-API-SECRET-KEY", Harness.secretKey + "x")]),
                .custom([("APCA-API-KEY-ID", "PKsomeoneelse"), ("APCA-API-SECRET-KEY", Harness.secretKey)]),
                .flow,
            ]
            for path in ["/v2/account", "/v2/orders", "/v2/stocks/AAPL/quotes/latest", "/v2/positions/AAPL"] {
                for credentials in wrong {
                    let reply = try await client.get(path, credentials: credentials)
                    #expect(reply.status == 403, "\(path)")
                    #expect(reply.text == #"{"message":"forbidden."}"#)
                }
            }
            let order = try await client.request(
                "POST", "/v2/orders", body: #"{"symbol":"AAPL","qty":"1","side":"buy","type":"market","time_in_force":"day"}"#,
                credentials: .none)
            #expect(order.status == 403)
            #expect(try await client.json("/v2/orders?status=all").arrayValue?.isEmpty == true, "a refused request changes nothing")
            // Header names are case-insensitive, as in HTTP.
            let lower = try await client.get(
                "/v2/account", credentials: .custom([("apca-api-key-id", Harness.keyID), ("apca-api-secret-key", Harness.secretKey)]))
            #expect(lower.status == 200)
        }
    }

    /// The Unusual Whales route needs `Authorization: Bearer <token>`; anything else is 401.
    @Test func flowTokenRequired() async throws {
        try await Harness.withExchange { _, client in
            let path = "/api/option-trades/flow-alerts"
            for credentials: ExchangeClient.Credentials in [
                .none, .alpaca, .custom([("Authorization", "Bearer wrong")]), .custom([("Authorization", Harness.flowToken)]),
            ] {
                let reply = try await client.get(path, credentials: credentials)
                #expect(reply.status == 401)
                #expect(try reply.json["message"] == .string("invalid or missing API token"))
            }
            #expect(try await client.get(path, credentials: .flow).status == 200)
        }
    }

    /// 200 requests a minute per key: headers count down on every answer, the 201st is 429, and the
    /// next window (by the exchange's clock) admits requests again.
    @Test func rateLimitWithHeaders() async throws {
        let clock = ManualClock(now: Harness.start)
        try await Harness.withExchange(clock: clock) { _, client in
            let reset = String(Harness.start.epochComponents.seconds + 60)
            for expectedRemaining in stride(from: 199, through: 0, by: -1) {
                let reply = try await client.get("/v2/clock")
                #expect(reply.status == 200)
                #expect(reply.header("X-Ratelimit-Limit") == "200")
                #expect(reply.header("X-Ratelimit-Remaining") == String(expectedRemaining))
                #expect(reply.header("X-Ratelimit-Reset") == reset)
            }
            let limited = try await client.get("/v2/account")
            #expect(limited.status == 429)
            #expect(limited.header("X-Ratelimit-Remaining") == "0")
            #expect(limited.header("X-Ratelimit-Reset") == reset)
            #expect(limited.header("Retry-After") == "60")
            #expect(try limited.json["code"] == .number("42910000"))
            // Other keys and the Unusual Whales token have their own windows.
            #expect(try await client.get("/api/option-trades/flow-alerts", credentials: .flow).header("X-Ratelimit-Remaining") == "199")

            clock.advance(by: .seconds(60))
            let next = try await client.get("/v2/account")
            #expect(next.status == 200)
            #expect(next.header("X-Ratelimit-Remaining") == "199")
            #expect(next.header("X-Ratelimit-Reset") == String(Harness.start.epochComponents.seconds + 120))
        }
    }

    /// Errors carry the rate-limit headers too.
    @Test func headersOnErrors() async throws {
        try await Harness.withExchange { _, client in
            let missing = try await client.get("/v2/orders/unknown")
            #expect(missing.status == 404)
            #expect(missing.header("X-Ratelimit-Limit") == "200")
            #expect(missing.header("X-Ratelimit-Remaining") != nil)
            let unknownPath = try await client.get("/v2/nothing-here")
            #expect(unknownPath.status == 404)
        }
    }
}
