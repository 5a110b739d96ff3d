import Foundation
import PaperExchange
import TestSupport
import Testing
import Primitives

/// Faults on purpose, for client tests: each kind, its count, the admin route, and off by default.
struct FaultTests {
    private static let order = #"{"symbol":"AAPL","qty":"1","side":"buy","type":"market","time_in_force":"day","client_order_id":"fault-1"}"#

    /// Status faults answer 500 or 503 for the next N responses of that route only, then normal service.
    @Test func statusFaultsCountDown() async throws {
        try await Harness.withExchange(Harness.options(faultControls: true)) { server, client in
            try server.injectFault(Fault(route: "GET /v2/account", kind: .status(503), count: 2))
            try server.injectFault(Fault(route: "GET /v2/orders/{id}", kind: .status(500)))
            #expect(try await client.get("/v2/account").status == 503)
            #expect(try await client.get("/v2/clock").status == 200, "another route is unaffected")
            #expect(try await client.get("/v2/account").status == 503)
            #expect(try await client.get("/v2/account").status == 200)
            let failed = try await client.get("/v2/orders/anything")
            #expect(failed.status == 500)
            #expect(try failed.json["code"] == .number("50010000"))
            #expect(try await client.get("/v2/orders/anything").status == 404)
            #expect(server.pendingFaults.isEmpty)
        }
    }

    /// A rate-limit fault answers 429 with the headers a client must honour.
    @Test func rateLimitFault() async throws {
        try await Harness.withExchange(Harness.options(faultControls: true)) { server, client in
            try server.injectFault(Fault(route: "*", kind: .rateLimited(resetAfterSeconds: 7)))
            let reply = try await client.get("/v2/positions")
            #expect(reply.status == 429)
            #expect(reply.header("X-Ratelimit-Limit") == "200")
            #expect(reply.header("X-Ratelimit-Remaining") == "0")
            #expect(reply.header("X-Ratelimit-Reset") == String(Harness.start.epochComponents.seconds + 7))
            #expect(reply.header("Retry-After") == "7")
            #expect(try await client.get("/v2/positions").status == 200)
        }
    }

    /// A delay holds the answer back for (at least) the time asked, then answers normally.
    @Test func delayFault() async throws {
        try await Harness.withExchange(Harness.options(faultControls: true)) { server, client in
            try server.injectFault(Fault(route: "GET /v2/clock", kind: .delay(.milliseconds(400))))
            let started = ContinuousClock.now
            let reply = try await client.get("/v2/clock")
            #expect(ContinuousClock.now - started >= .milliseconds(400))
            #expect(reply.status == 200)
        }
    }

    /// A reset before handling drops the connection and the order is not recorded; retrying the same
    /// client_order_id then succeeds.
    @Test func resetBeforeOrderIsRecorded() async throws {
        try await Harness.withExchange(Harness.options(faultControls: true)) { server, client in
            try server.injectFault(Fault(route: "POST /v2/orders", kind: .resetBeforeHandling))
            await #expect(throws: RawHTTPError.closedWithoutAnswer(reset: true)) { try await client.post("/v2/orders", Self.order) }
            #expect(try await client.get("/v2/orders:by_client_order_id?client_order_id=fault-1").status == 404)
            #expect(try await client.post("/v2/orders", Self.order).status == 200)
        }
    }

    /// A reset after handling drops the connection but the order is recorded: a retry with the same
    /// client_order_id is refused as a duplicate, and a lookup finds the order.
    @Test func resetAfterOrderIsRecorded() async throws {
        try await Harness.withExchange(Harness.options(faultControls: true)) { server, client in
            try server.injectFault(Fault(route: "POST /v2/orders", kind: .resetAfterHandling))
            await #expect(throws: RawHTTPError.closedWithoutAnswer(reset: true)) { try await client.post("/v2/orders", Self.order) }
            #expect(try await client.post("/v2/orders", Self.order).status == 422)
            let found = try await client.json("/v2/orders:by_client_order_id?client_order_id=fault-1")
            #expect(try found.string("status") == "filled")
        }
    }

    /// A malformed body keeps the status but is not JSON; a missing field drops that key everywhere.
    @Test func bodyFaults() async throws {
        try await Harness.withExchange(Harness.options(faultControls: true)) { server, client in
            try server.injectFault(Fault(route: "GET /v2/account", kind: .malformedBody))
            try server.injectFault(Fault(route: "GET /api/option-trades/flow-alerts", kind: .missingField("total_premium")))
            try server.injectFault(Fault(route: "POST /v2/orders", kind: .missingField(nil)))
            let malformed = try await client.get("/v2/account")
            #expect(malformed.status == 200)
            #expect(throws: JSONParseError.self) { try malformed.json }
            let alerts = try await client.json("/api/option-trades/flow-alerts", credentials: .flow)
            let data = try #require(alerts["data"]?.arrayValue)
            #expect(!data.isEmpty && data.allSatisfy { $0["total_premium"] == nil && $0["total_ask_side_prem"] != nil })
            let order = try await client.post("/v2/orders", Self.order)
            #expect(order.status == 200)
            #expect(try order.json["id"] == nil, "the first key, id, is missing")
            #expect(try order.json["client_order_id"] == .string("fault-1"))
        }
    }

    /// With fault controls on, POST /__faults queues faults over HTTP, GET lists them, DELETE clears them.
    @Test func adminRoute() async throws {
        try await Harness.withExchange(Harness.options(faultControls: true)) { _, client in
            let body = #"[{"route":"GET /v2/positions","fault":"status","status":503,"count":3},{"fault":"reset_before","route":"GET /v2/clock"}]"#
            let queued = try await client.post("/__faults", body)
            #expect(queued.status == 200)
            #expect(try queued.json.arrayValue?.count == 2)
            #expect(try await client.get("/v2/positions").status == 503)
            #expect(try await client.json("/__faults")[0]?["count"] == .number("2"))
            #expect(try await client.get("/__faults", credentials: .none).status == 403)
            #expect(try await client.post("/__faults", #"{"fault":"explode"}"#).status == 422)
            #expect(try await client.delete("/__faults").status == 204)
            #expect(try await client.get("/v2/positions").status == 200)
            #expect(try await client.get("/v2/clock").status == 200)
        }
    }

    /// Without the option, faults cannot be injected: the API throws and /__faults does not exist.
    @Test func offByDefault() async throws {
        try await Harness.withExchange { (server: ExchangeServer, client: ExchangeClient) async throws -> Void in
            #expect(throws: ExchangeServer.FaultControlsDisabled.self) {
                try server.injectFault(Fault(route: "*", kind: .status(500)))
            }
            #expect(try await client.post("/__faults", #"{"fault":"status","status":500}"#).status == 404)
            #expect(try await client.get("/v2/account").status == 200)
        }
    }
}
