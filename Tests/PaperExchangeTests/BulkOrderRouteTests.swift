import Foundation
import PaperExchange
import TestSupport
import Testing

/// Cancel-all, close-all, replace, the order-list filters, positions by asset id and unknown routes, over
/// HTTP on loopback.
struct BulkOrderRouteTests {
    private static func restingBuy(_ client: ExchangeClient, _ symbol: String, qty: Int = 1, tif: String = "day") async throws -> JSONValue {
        let bid = try #require(try await client.json("/v2/stocks/\(symbol)/quotes/latest")["quote"]?["bp"]?.decimalValue)
        let limit = DecimalText.format((bid * Decimal(string: "0.8")!).rounded(to: 2))
        return try await client.order(
            #"{"symbol":"\#(symbol)","qty":"\#(qty)","side":"buy","type":"limit","time_in_force":"\#(tif)","limit_price":"\#(limit)"}"#)
    }

    /// `DELETE /v2/orders` answers 207 with one `{id, status, body}` per open order, each canceled; with
    /// nothing open it answers 207 and an empty array.
    @Test func cancelAllAnswersMultiStatus() async throws {
        try await Harness.withExchange { _, client in
            let first = try await Self.restingBuy(client, "AAPL")
            let second = try await Self.restingBuy(client, "MSFT")
            _ = try await client.order(#"{"symbol":"NVDA","qty":"1","side":"buy","type":"market","time_in_force":"day"}"#)
            let reply = try await client.delete("/v2/orders")
            #expect(reply.status == 207)
            let entries = try #require(try reply.json.arrayValue)
            #expect(Set(entries.compactMap { $0["id"]?.stringValue }) == [try first.string("id"), try second.string("id")])
            for entry in entries {
                #expect(entry["status"] == .number("200"))
                #expect(entry["body"]?["status"] == .string("canceled"))
                #expect(entry["body"]?["id"] == entry["id"])
            }
            #expect(try await client.json("/v2/orders").arrayValue?.isEmpty == true)
            let again = try await client.delete("/v2/orders")
            #expect(again.status == 207)
            #expect(try again.json == .array([]))
        }
    }

    /// `DELETE /v2/positions` answers 207 with one `{symbol, status, body}` per position: a position whose
    /// shares an open order holds fails with 403 unless `cancel_orders=true`, which cancels that order first.
    @Test func closeAllAnswersMultiStatusAndHonoursCancelOrders() async throws {
        try await Harness.withExchange { _, client in
            _ = try await client.order(#"{"symbol":"AAPL","qty":"2","side":"buy","type":"market","time_in_force":"day"}"#)
            _ = try await client.order(#"{"symbol":"MSFT","qty":"1","side":"buy","type":"market","time_in_force":"day"}"#)
            #expect(try await client.json("/v2/positions").arrayValue?.count == 2)
            let ask = try #require(try await client.json("/v2/stocks/AAPL/quotes/latest")["quote"]?["ap"]?.decimalValue)
            let high = DecimalText.format((ask * Decimal(string: "1.5")!).rounded(to: 2))
            let holding = try await client.order(
                #"{"symbol":"AAPL","qty":"2","side":"sell","type":"limit","time_in_force":"gtc","limit_price":"\#(high)"}"#)

            let first = try await client.delete("/v2/positions")
            #expect(first.status == 207)
            let entries = try #require(try first.json.arrayValue)
            #expect(entries.compactMap { $0["symbol"]?.stringValue } == ["AAPL", "MSFT"])
            #expect(entries[0]["status"] == .number("403"))
            #expect(entries[0]["body"]?["code"] == .number("40310000"))
            #expect(entries[1]["status"] == .number("200"))
            #expect(entries[1]["body"]?["side"] == .string("sell"))
            #expect(entries[1]["body"]?["qty"] == .string("1"))

            let second = try await client.delete("/v2/positions?cancel_orders=true")
            #expect(second.status == 207)
            let closing = try #require(try second.json.arrayValue)
            #expect(closing.count == 1)
            #expect(closing.first?["symbol"] == .string("AAPL"))
            #expect(closing.first?["status"] == .number("200"))
            #expect(try await client.json("/v2/orders/\(try holding.string("id"))").string("status") == "canceled")
            #expect(try await client.json("/v2/positions").arrayValue?.isEmpty == true)
            #expect(try await client.delete("/v2/positions?cancel_orders=maybe").status == 422)
        }
    }

    /// `PATCH /v2/orders/{id}` makes a new order that `replaces` the old one, whose status becomes `replaced`
    /// with `replaced_by` and `replaced_at` set; a refused replacement leaves the old order open; a closed
    /// order cannot be replaced (422), an unknown one is 404, stop fields are refused.
    @Test func replaceMakesANewOrderAndRetiresTheOld() async throws {
        try await Harness.withExchange { _, client in
            let old = try await Self.restingBuy(client, "AAPL", qty: 5, tif: "gtc")
            let oldID = try old.string("id")
            let newLimit = DecimalText.format((try old.decimal("limit_price") - 1).rounded(to: 2))

            let tooBig = try await client.request("PATCH", "/v2/orders/\(oldID)", body: #"{"qty":"100000"}"#)
            #expect(tooBig.status == 403)
            #expect(try await client.json("/v2/orders/\(oldID)").string("status") == "new")

            let reply = try await client.request(
                "PATCH", "/v2/orders/\(oldID)", body: #"{"qty":"3","limit_price":"\#(newLimit)","client_order_id":"bw-replaced-1"}"#)
            #expect(reply.status == 200, "\(reply.text)")
            let new = try reply.json
            let newID = try new.string("id")
            #expect(newID != oldID)
            #expect(new["replaces"] == .string(oldID))
            #expect(new["replaced_by"] == .null)
            #expect(try new.string("qty") == "3")
            #expect(try new.string("limit_price") == newLimit)
            #expect(try new.string("client_order_id") == "bw-replaced-1")
            #expect(try new.string("time_in_force") == "gtc")
            #expect(try new.string("side") == "buy")
            #expect(try new.string("status") == "accepted")
            try Shape.expect(new, matches: "order.json")

            let retired = try await client.json("/v2/orders/\(oldID)")
            #expect(try retired.string("status") == "replaced")
            #expect(retired["replaced_by"] == .string(newID))
            #expect(retired["replaced_at"]?.stringValue != nil)
            let open = try #require(try await client.json("/v2/orders").arrayValue)
            #expect(open.compactMap { $0["id"]?.stringValue } == [newID])

            let again = try await client.request("PATCH", "/v2/orders/\(oldID)", body: #"{"qty":"2"}"#)
            #expect(again.status == 422)
            #expect(try again.json["message"] == .string("order is already in \"replaced\" state"))
            let unknown = try await client.request("PATCH", "/v2/orders/00000000-0000-4000-8000-000000000000", body: #"{"qty":"2"}"#)
            #expect(unknown.status == 404)
            let stop = try await client.request("PATCH", "/v2/orders/\(newID)", body: #"{"stop_price":"1"}"#)
            #expect(stop.status == 422)
        }
    }

    /// `GET /v2/orders` honours `side`, `after` and `until` (on the submission time, exclusive), and
    /// refuses a side it does not know.
    @Test func orderListFiltersBySideAndTime() async throws {
        let clock = ManualClock(now: Harness.start)
        try await Harness.withExchange(clock: clock) { _, client in
            let buy = try await Self.restingBuy(client, "AAPL")
            clock.advance(by: .seconds(60))
            let ask = try #require(try await client.json("/v2/stocks/MSFT/quotes/latest")["quote"]?["ap"]?.decimalValue)
            let high = DecimalText.format((ask * Decimal(string: "1.5")!).rounded(to: 2))
            let sell = try await client.order(
                #"{"symbol":"MSFT","qty":"1","side":"sell","type":"limit","time_in_force":"day","limit_price":"\#(high)"}"#)
            func ids(_ query: String) async throws -> [String] {
                try #require(try await client.json("/v2/orders?status=all&\(query)").arrayValue).compactMap { $0["id"]?.stringValue }
            }
            #expect(try await ids("side=sell") == [try sell.string("id")])
            #expect(try await ids("side=buy") == [try buy.string("id")])
            #expect(try await ids("after=2026-03-16T14:00:30Z") == [try sell.string("id")])
            #expect(try await ids("until=2026-03-16T14:00:30Z") == [try buy.string("id")])
            #expect(try await ids("after=2026-03-16T14:00:30Z&side=buy").isEmpty)
            #expect(try await ids("after=\(try buy.string("submitted_at"))") == [try sell.string("id")])
            #expect(try await client.get("/v2/orders?side=short").status == 422)
            #expect(try await client.get("/v2/orders?after=yesterday").status == 422)
        }
    }

    /// `GET` and `DELETE /v2/positions/{symbol_or_asset_id}` take the asset id; an unknown id is 404.
    @Test func positionByAssetID() async throws {
        try await Harness.withExchange { _, client in
            _ = try await client.order(#"{"symbol":"AAPL","qty":"2","side":"buy","type":"market","time_in_force":"day"}"#)
            let byTicker = try await client.json("/v2/positions/AAPL")
            let assetID = try byTicker.string("asset_id")
            let byID = try await client.json("/v2/positions/\(assetID)")
            #expect(try byID.string("symbol") == "AAPL")
            #expect(try byID.string("qty") == "2")
            let closing = try await client.delete("/v2/positions/\(assetID.uppercased())?qty=1")
            #expect(closing.status == 200)
            #expect(try closing.json["qty"] == .string("1"))
            let unknown = try await client.get("/v2/positions/00000000-0000-4000-8000-000000000000")
            #expect(unknown.status == 404)
            #expect(try unknown.json["code"] == .number("40410000"))
        }
    }

    /// A path no route serves answers 404 with Alpaca's code and the rate-limit headers, like every route.
    @Test func unknownRouteAnswers404WithCodeAndRateLimitHeaders() async throws {
        try await Harness.withExchange { _, client in
            let reply = try await client.get("/v2/no-such-route")
            #expect(reply.status == 404)
            let body = try reply.json
            #expect(body["code"] == .number("40410000"))
            #expect(body["message"] == .string("endpoint not found"))
            #expect(reply.header("X-Ratelimit-Limit") == "200")
            #expect(reply.header("X-Ratelimit-Remaining") != nil)
            #expect(reply.header("X-Ratelimit-Reset") != nil)
        }
    }
}
