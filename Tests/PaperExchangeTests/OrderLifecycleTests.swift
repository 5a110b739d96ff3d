import Foundation
import PaperExchange
import TestSupport
import Testing

/// Orders over real HTTP on loopback, with a manual clock driving the market.
struct OrderLifecycleTests {
    /// A market order is answered `accepted`, then shows `filled` at the ask it was sent against.
    @Test func marketOrderAcceptedThenFilled() async throws {
        try await Harness.withExchange { _, client in
            let ask = try #require(try await client.json("/v2/stocks/NVDA/quotes/latest")["quote"]?["ap"]?.decimalValue)
            let order = try await client.order(#"{"symbol":"NVDA","qty":"3","side":"buy","type":"market","time_in_force":"day"}"#)
            #expect(try order.string("status") == "accepted")
            #expect(order["filled_at"] == .null)
            let filled = try await client.json("/v2/orders/\(try order.string("id"))")
            #expect(try filled.string("status") == "filled")
            #expect(try filled.decimal("filled_avg_price") == ask)
            #expect(try filled.string("filled_qty") == "3")
            let position = try await client.json("/v2/positions/NVDA")
            #expect(try position.string("qty") == "3")
            #expect(try position.decimal("avg_entry_price") == ask)
            let account = try await client.json("/v2/account")
            #expect(try account.decimal("cash") == 100_000 - 3 * ask)
        }
    }

    /// A limit below the market rests as `new`, then fills at its limit once the walk comes down to it.
    @Test func limitOrderRestsThenFills() async throws {
        let clock = ManualClock(now: Harness.start)
        try await Harness.withExchange(clock: clock) { _, client in
            let bid = try #require(try await client.json("/v2/stocks/AAPL/quotes/latest")["quote"]?["bp"]?.decimalValue)
            let limit = bid - Decimal(string: "0.40")!
            let order = try await client.order(
                #"{"symbol":"AAPL","qty":"5","side":"buy","type":"limit","time_in_force":"gtc","limit_price":"\#(DecimalText.format(limit))"}"#)
            let id = try order.string("id")
            #expect(try await client.json("/v2/orders/\(id)").string("status") == "new")
            var status = "new"
            var minutes = 0
            while status == "new" && minutes < 24 * 60 {
                clock.advance(by: .seconds(60))
                minutes += 1
                status = try await client.json("/v2/orders/\(id)").string("status")
            }
            #expect(status == "filled", "still \(status) after \(minutes) minutes")
            let filled = try await client.json("/v2/orders/\(id)")
            #expect(try filled.decimal("filled_avg_price") == limit)
            #expect(try filled.string("filled_at") > filled.string("submitted_at"))
            let account = try await client.json("/v2/account")
            #expect(try account.decimal("cash") == 100_000 - 5 * limit)
        }
    }

    /// A resting order is canceled with 204; it then lists as closed, and a second cancel is refused.
    @Test func restingOrderCanceled() async throws {
        try await Harness.withExchange { _, client in
            let order = try await client.order(
                #"{"symbol":"MSFT","qty":"1","side":"buy","type":"limit","time_in_force":"day","limit_price":"100"}"#)
            let id = try order.string("id")
            let open = try await client.json("/v2/orders")
            #expect(open.arrayValue?.count == 1)
            let cancel = try await client.delete("/v2/orders/\(id)")
            #expect(cancel.status == 204)
            #expect(cancel.body.isEmpty)
            let canceled = try await client.json("/v2/orders/\(id)")
            #expect(try canceled.string("status") == "canceled")
            #expect(canceled["canceled_at"]?.stringValue != nil)
            #expect(try await client.json("/v2/orders").arrayValue?.isEmpty == true)
            #expect(try await client.json("/v2/orders?status=closed").arrayValue?.count == 1)
            let again = try await client.delete("/v2/orders/\(id)")
            #expect(again.status == 422)
            #expect(try again.json["message"] == .string("order is already in \"canceled\" state"))
            let unknown = try await client.delete("/v2/orders/00000000-0000-4000-8000-000000000000")
            #expect(unknown.status == 404)
            #expect(try unknown.json["code"] == .number("40410000"))
        }
    }

    /// An IOC limit that is not marketable is canceled instead of resting.
    @Test func iocLimitIsCanceled() async throws {
        try await Harness.withExchange { _, client in
            let order = try await client.order(
                #"{"symbol":"SPY","qty":"1","side":"buy","type":"limit","time_in_force":"ioc","limit_price":"1.00"}"#)
            #expect(try await client.json("/v2/orders/\(try order.string("id"))").string("status") == "canceled")
        }
    }

    /// Selling closes a position; DELETE /v2/positions/{symbol} sends the closing market order.
    @Test func closingAPosition() async throws {
        try await Harness.withExchange { _, client in
            _ = try await client.order(#"{"symbol":"META","qty":"4","side":"buy","type":"market","time_in_force":"day"}"#)
            _ = try await client.order(#"{"symbol":"META","qty":"1","side":"sell","type":"market","time_in_force":"day"}"#)
            #expect(try await client.json("/v2/positions/META").string("qty") == "3")
            let tooMany = try await client.post("/v2/orders", #"{"symbol":"META","qty":"5","side":"sell","type":"market","time_in_force":"day"}"#)
            #expect(tooMany.status == 403)
            #expect(try tooMany.json["code"] == .number("40310000"))
            let close = try await client.delete("/v2/positions/META")
            #expect(close.status == 200)
            let closing = try close.json
            #expect(try closing.string("side") == "sell")
            #expect(try closing.string("qty") == "3")
            #expect(try closing.string("position_intent") == "sell_to_close")
            #expect(try await client.json("/v2/positions").arrayValue?.isEmpty == true)
            #expect(try await client.json("/v2/orders/\(try closing.string("id"))").string("status") == "filled")
        }
    }

    /// Invalid orders get 422 with a message; an order beyond buying power gets 403 with code 40310000.
    @Test func refusedOrders() async throws {
        try await Harness.withExchange { _, client in
            let cases: [(String, Int, String)] = [
                (#"{"symbol":"AAPL","side":"buy","type":"market","time_in_force":"day"}"#, 422, "qty or notional is required"),
                (#"{"symbol":"AAPL","qty":"1","side":"hold","type":"market","time_in_force":"day"}"#, 422, "invalid side: hold"),
                (#"{"symbol":"AAPL","qty":"1","side":"buy","type":"limit","time_in_force":"day"}"#, 422, "limit_price is required for a limit order"),
                (#"{"symbol":"AAPL","qty":"1","side":"buy","type":"limit","time_in_force":"day","limit_price":"175.123"}"#, 422,
                 "invalid limit_price 175.123. sub-penny increment does not fulfill minimum pricing criteria"),
                (#"{"symbol":"AAPL","qty":"-1","side":"buy","type":"market","time_in_force":"day"}"#, 422, "qty must be > 0"),
                (#"{"symbol":"ZZZZ","qty":"1","side":"buy","type":"market","time_in_force":"day"}"#, 422, "asset \"ZZZZ\" not found"),
                (#"{"symbol":"AAPL","qty":"1","side":"buy","type":"stop","time_in_force":"day"}"#, 422,
                 "order type stop is not supported by the paper exchange (market and limit are)"),
                (#"{"symbol":"AAPL","qty":"0.5","side":"buy","type":"market","time_in_force":"gtc"}"#, 422, "fractional orders must be DAY orders"),
                (#"{"symbol":"AAPL","qty":"5000","side":"buy","type":"market","time_in_force":"day"}"#, 403, "insufficient buying power"),
                ("not json", 400, "request body format is invalid"),
            ]
            for (body, status, message) in cases {
                let reply = try await client.post("/v2/orders", body)
                #expect(reply.status == status, "\(body) → \(reply.status) \(reply.text)")
                #expect(try reply.json["message"] == .string(message), "\(body) → \(reply.text)")
            }
            #expect(try await client.json("/v2/orders?status=all").arrayValue?.isEmpty == true)
        }
    }

    /// GET /v2/orders filters by status, symbols and limit, newest first.
    @Test func listingOrders() async throws {
        try await Harness.withExchange { _, client in
            for symbol in ["AAPL", "MSFT", "AAPL", "GOOGL"] {
                _ = try await client.order(#"{"symbol":"\#(symbol)","qty":"1","side":"buy","type":"limit","time_in_force":"gtc","limit_price":"10"}"#)
            }
            let all = try await client.json("/v2/orders?status=all")
            #expect(all.arrayValue?.compactMap { $0["symbol"]?.stringValue } == ["GOOGL", "AAPL", "MSFT", "AAPL"])
            #expect(try await client.json("/v2/orders?symbols=AAPL").arrayValue?.count == 2)
            #expect(try await client.json("/v2/orders?symbols=AAPL,GOOGL&limit=2").arrayValue?.count == 2)
            #expect(try await client.json("/v2/orders?status=closed").arrayValue?.isEmpty == true)
            #expect(try await client.json("/v2/orders?direction=asc&limit=1")[0]?["symbol"] == .string("AAPL"))
            #expect(try await client.get("/v2/orders?status=pending").status == 422)
        }
    }

    /// A reused client_order_id is refused, whatever became of the first order.
    @Test func clientOrderIDIsUniqueForever() async throws {
        try await Harness.withExchange { _, client in
            let resting = #"{"symbol":"AMZN","qty":"1","side":"buy","type":"limit","time_in_force":"day","limit_price":"50","client_order_id":"once"}"#
            let order = try await client.order(resting)
            #expect(try await client.delete("/v2/orders/\(try order.string("id"))").status == 204)
            for body in [resting, #"{"symbol":"QQQ","qty":"2","side":"buy","type":"market","time_in_force":"day","client_order_id":"once"}"#] {
                let reply = try await client.post("/v2/orders", body)
                #expect(reply.status == 422)
                #expect(try reply.json["message"] == .string("client_order_id must be unique"))
            }
            let found = try await client.json("/v2/orders:by_client_order_id?client_order_id=once")
            #expect(try found.string("id") == order.string("id"))
            #expect(try await client.get("/v2/orders:by_client_order_id?client_order_id=never").status == 404)
        }
    }
}
