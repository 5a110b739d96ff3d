import Foundation
import PaperExchange
import Testing

/// The exchange's count of requests by route: what `bulwark bench budget` reads.
struct RequestTallyTests {
    /// Every request of a route counts, answered or refused, under the route's template (an order id is not
    /// a route of its own); an unknown path counts as "unknown".
    @Test func countsEachRouteByTemplate() async throws {
        try await Harness.withExchange { server, client in
            #expect(server.requestTally().isEmpty)
            _ = try await client.get("/v2/account")
            _ = try await client.get("/v2/account")
            _ = try await client.get("/v2/clock")
            _ = try await client.get("/v2/orders/6b1f0c2e-0000-4000-8000-000000000001")
            _ = try await client.get("/v2/orders/6b1f0c2e-0000-4000-8000-000000000002")
            _ = try await client.get("/v2/no-such-route")
            let tally = server.requestTally()
            #expect(tally["GET /v2/account"] == 2)
            #expect(tally["GET /v2/clock"] == 1)
            #expect(tally.filter { $0.key.hasPrefix("GET /v2/orders/") }.values.reduce(0, +) == 2)
            #expect(tally.keys.filter { $0.hasPrefix("GET /v2/orders/") }.count == 1)
            #expect(tally["unknown"] == 1)
            #expect(tally.values.reduce(0, +) == 6)
        }
    }
}
