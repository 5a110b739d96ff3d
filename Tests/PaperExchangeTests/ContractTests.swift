import Foundation
import PaperExchange
import Testing

/// Every route answers in the shape of its shared/contracts sample (see `Shape`).
struct ContractTests {
    private static let orderVariants: Set<String> = ["limit_price", "qty"]

    /// Account, clock, orders (submitted, listed, by id, by client order id), positions and the closing order.
    @Test func tradingRoutes() async throws {
        try await Harness.withExchange { _, client in
            try Shape.expect(try await client.json("/v2/account"), matches: "account.json")
            try Shape.expect(try await client.json("/v2/clock"), matches: "clock.json")

            // A limit order like the sample's, below the market so that it rests.
            let bid = try #require(try await client.json("/v2/stocks/AAPL/quotes/latest")["quote"]?["bp"]?.decimalValue)
            let limit = DecimalText.format((bid * Decimal(string: "0.9")!).rounded(to: 2))
            let order = try await client.order(
                #"{"symbol":"AAPL","qty":"1","side":"buy","type":"limit","time_in_force":"day","limit_price":"\#(limit)","client_order_id":"bw-contract-1"}"#)
            try Shape.expect(order, matches: "order.json")
            let id = try order.string("id")
            try Shape.expect(try await client.json("/v2/orders/\(id)"), matches: "order.json")
            try Shape.expect(try await client.json("/v2/orders:by_client_order_id?client_order_id=bw-contract-1"), matches: "order.json")

            _ = try await client.order(#"{"symbol":"AAPL","qty":"2","side":"buy","type":"market","time_in_force":"day"}"#)
            _ = try await client.order(#"{"symbol":"MSFT","notional":"500","side":"buy","type":"market","time_in_force":"day"}"#)
            let orders = try await client.json("/v2/orders?status=all")
            #expect(orders.arrayValue?.count == 3)
            for listed in orders.arrayValue ?? [] { try Shape.expect(listed, matches: "order.json", nullable: Self.orderVariants) }

            let positions = try await client.json("/v2/positions")
            #expect(positions.arrayValue?.count == 2)
            try Shape.expect(positions, matches: "positions.json")
            let position = try await client.json("/v2/positions/AAPL")
            let sample = try #require(try Fixtures.json("positions.json")[0])
            #expect(Shape.differences(expected: sample, actual: position).isEmpty)

            let closing = try await client.delete("/v2/positions/AAPL")
            #expect(closing.status == 200)
            try Shape.expect(try closing.json, matches: "order.json", nullable: Self.orderVariants)
        }
    }

    /// Latest quote, latest quotes of several symbols and latest trade: prices and sizes are numbers.
    @Test func marketDataRoutes() async throws {
        try await Harness.withExchange { _, client in
            let quote = try await client.json("/v2/stocks/AAPL/quotes/latest")
            try Shape.expect(quote, matches: "quote_latest.json")
            #expect(quote["quote"]?["ap"]?.typeName == "number")
            let quotes = try await client.json("/v2/stocks/quotes/latest?symbols=AAPL,MSFT")
            try Shape.expect(quotes, matches: "quotes_latest_multi.json")
            try Shape.expect(try await client.json("/v2/stocks/AAPL/trades/latest"), matches: "trade_latest.json")
        }
    }

    /// Flow alerts: `{"data":[…]}` with every field of the sample, money as strings, counts as numbers.
    @Test func flowAlertsRoute() async throws {
        try await Harness.withExchange { _, client in
            let alerts = try await client.json("/api/option-trades/flow-alerts", credentials: .flow)
            #expect((alerts["data"]?.arrayValue?.count ?? 0) > 0, "the warm-up produces alerts")
            try Shape.expect(alerts, matches: "flow_alerts.json")
        }
    }

    /// Error bodies are exactly the samples': forbidden, duplicate client_order_id, position not found.
    @Test func errorBodies() async throws {
        try await Harness.withExchange { _, client in
            let forbidden = try await client.get("/v2/account", credentials: .none)
            #expect(forbidden.status == 403)
            #expect(try forbidden.json == Fixtures.json("error_forbidden.json"))

            let body = #"{"symbol":"AAPL","qty":"1","side":"buy","type":"market","time_in_force":"day","client_order_id":"dup-1"}"#
            _ = try await client.order(body)
            let duplicate = try await client.post("/v2/orders", body)
            #expect(duplicate.status == 422)
            #expect(try duplicate.json == Fixtures.json("error_duplicate_client_order_id.json"))

            for method in ["GET", "DELETE"] {
                let missing = try await client.request(method, "/v2/positions/NVDA")
                #expect(missing.status == 404)
                #expect(try missing.json == Fixtures.json("error_position_not_found.json"))
            }
        }
    }

    /// The exchange accepts the sample order request body as it is.
    @Test func sampleOrderRequestIsAccepted() async throws {
        try await Harness.withExchange { _, client in
            let sample = String(decoding: try Fixtures.bytes("order_request.json"), as: UTF8.self)
            let order = try await client.order(sample)
            #expect(try order.string("client_order_id") == "bw-2f6c1d4e-8a51-4c1e-9a0e-3b8f2d7c9e01")
            #expect(try order.string("limit_price") == "175.1")
            #expect(try order.string("status") == "accepted")
        }
    }
}
