import Foundation
import PaperExchange
import Primitives
import TestSupport
import Testing

/// Bars, latest bars and trades, snapshots, assets, account configurations, portfolio history and the
/// optional fields Alpaca sends, over HTTP on loopback. The harness's exchange starts at 14:00 UTC with
/// ten minutes of warm-up, so it has seen the minutes 13:50–13:59.
struct MarketHistoryRouteTests {
    private static let barKeys = ["t", "o", "h", "l", "c", "v", "n", "vw"]

    private static func expectBarShape(_ bar: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(bar.objectValue?.keys == barKeys, sourceLocation: sourceLocation)
        for key in barKeys where key != "t" {
            #expect(bar[key]?.typeName == "number", "\(key) of \(bar.serialized)", sourceLocation: sourceLocation)
        }
        #expect(bar["t"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) != nil, sourceLocation: sourceLocation)
    }

    /// All pages of `path` (which has a `limit`), following `next_page_token`; the bars of each symbol joined.
    private static func allPages(_ client: ExchangeClient, _ path: String) async throws -> (bars: [String: [JSONValue]], pages: Int) {
        var bars: [String: [JSONValue]] = [:]
        var token: String?
        var pages = 0
        repeat {
            let page = try await client.json(path + (token.map { "&page_token=\($0)" } ?? ""))
            pages += 1
            for member in try #require(page["bars"]?.objectValue) { bars[member.key, default: []] += member.value.arrayValue ?? [] }
            token = page["next_page_token"]?.stringValue
            #expect(pages < 100)
        } while token != nil && pages < 100
        return (bars, pages)
    }

    /// One-minute bars of two symbols come in Alpaca's shape, by symbol then time; fetched seven at a time
    /// with `page_token` they are exactly the bars of one unpaged request, and a second exchange with the
    /// same seed and clock answers the same bytes.
    @Test func minuteBarsPageAndAreDeterministic() async throws {
        let path = "/v2/stocks/bars?symbols=MSFT,AAPL&timeframe=1Min&start=2026-03-16T13:00:00Z"
        let (whole, paged, other) = try await Harness.withExchange { _, client in
            let whole = try await client.json(path)
            let paged = try await Self.allPages(client, path + "&limit=7")
            let other = try await Harness.withExchange { _, second in try await second.json(path) }
            return (whole, paged, other)
        }
        #expect(whole == other)
        #expect(whole["next_page_token"] == .null)
        let bars = try #require(whole["bars"]?.objectValue)
        #expect(bars.keys == ["AAPL", "MSFT"])
        let aapl = try #require(bars["AAPL"]?.arrayValue)
        #expect(aapl.count == 10)
        #expect(aapl.first?["t"] == .string("2026-03-16T13:50:00.000Z"))
        #expect(aapl.last?["t"] == .string("2026-03-16T13:59:00.000Z"))
        for bar in aapl { Self.expectBarShape(bar) }
        #expect(paged.pages == 3)
        #expect(paged.bars["AAPL"] == aapl)
        #expect(paged.bars["MSFT"] == bars["MSFT"]?.arrayValue)
        // Each minute is 120 steps of the walk, each a trade (the first: 119, the warm-up starting on the minute).
        #expect(aapl.first?["n"] == .number("119"))
        #expect(aapl.dropFirst().allSatisfy { $0["n"] == .number("120") })
        for bar in aapl {
            let (high, low) = (try bar.decimal("h"), try bar.decimal("l"))
            #expect(try low <= bar.decimal("o") && bar.decimal("o") <= high && low <= bar.decimal("c") && bar.decimal("c") <= high)
        }
    }

    /// 5Min, 1Hour and 1Day bars aggregate the minutes (open of the first, close of the last, extremes,
    /// summed volume); `end`, `limit`, `sort=desc`, the single-symbol route and bad values are honoured.
    @Test func aggregatedTimeframesAndQueryParameters() async throws {
        try await Harness.withExchange { _, client in
            let minutes = try #require(
                try await client.json("/v2/stocks/AAPL/bars?timeframe=1Min&start=2026-03-16T13:00:00.000Z")["bars"]?.arrayValue)
            let single = try await client.json("/v2/stocks/AAPL/bars?timeframe=5Min&start=2026-03-16T13:00:00.000Z")
            #expect(single["symbol"] == .string("AAPL"))
            #expect(single["next_page_token"] == .null)
            let fives = try #require(single["bars"]?.arrayValue)
            #expect(fives.map { $0["t"] } == [.string("2026-03-16T13:50:00.000Z"), .string("2026-03-16T13:55:00.000Z")])
            let firstFive = Array(minutes.prefix(5))
            #expect(fives[0]["o"] == firstFive[0]["o"])
            #expect(fives[0]["c"] == firstFive[4]["c"])
            #expect(try fives[0].decimal("h") == firstFive.map { try $0.decimal("h") }.max())
            #expect(try fives[0].decimal("l") == firstFive.map { try $0.decimal("l") }.min())
            #expect(try fives[0].decimal("v") == firstFive.reduce(Decimal(0)) { try $0 + $1.decimal("v") })

            let hour = try #require(
                try await client.json("/v2/stocks/bars?symbols=AAPL&timeframe=1Hour&start=2026-03-16T13:00:00.000Z")["bars"]?["AAPL"]?.arrayValue)
            #expect(hour.count == 1)
            #expect(hour.first?["t"] == .string("2026-03-16T13:00:00.000Z"))
            #expect(hour.first?["n"] == .number("1199"))
            let day = try #require(try await client.json("/v2/stocks/bars?symbols=AAPL&timeframe=1Day")["bars"]?["AAPL"]?.arrayValue)
            #expect(day.map { $0["t"] } == [.string("2026-03-16T00:00:00.000Z")])
            for bar in hour + day { Self.expectBarShape(bar) }

            let ended = try #require(
                try await client.json("/v2/stocks/AAPL/bars?timeframe=1Min&start=2026-03-16T13:00:00Z&end=2026-03-16T13:52:00.000Z")["bars"]?.arrayValue)
            #expect(ended.count == 3)
            let newest = try #require(
                try await client.json("/v2/stocks/AAPL/bars?timeframe=1Min&start=2026-03-16T13:00:00Z&sort=desc&limit=2")["bars"]?.arrayValue)
            #expect(newest == [minutes[9], minutes[8]])

            for bad in ["timeframe=7Week", "timeframe=1Min&limit=0", "timeframe=1Min&start=soon", "timeframe=1Min&page_token=%21%21", ""] {
                let reply = try await client.get("/v2/stocks/AAPL/bars?\(bad)")
                #expect(reply.status == 422, "\(bad) → \(reply.status)")
                #expect(try reply.json["code"] == .number("42210000"))
            }
        }
    }

    /// The latest bar is the last completed minute; the latest trades of several symbols share the
    /// single-symbol trade's shape; snapshots carry trade, quote, minute bar and daily bars.
    @Test func latestBarsTradesAndSnapshots() async throws {
        try await Harness.withExchange { _, client in
            let latest = try await client.json("/v2/stocks/bars/latest?symbols=AAPL,MSFT,ZZZZ")
            let bars = try #require(latest["bars"]?.objectValue)
            #expect(bars.keys == ["AAPL", "MSFT"])
            #expect(bars["AAPL"]?["t"] == .string("2026-03-16T13:59:00.000Z"))
            Self.expectBarShape(try #require(bars["AAPL"]))

            let trades = try await client.json("/v2/stocks/trades/latest?symbols=AAPL,MSFT")
            #expect(trades["trades"]?.objectValue?.keys == ["AAPL", "MSFT"])
            let single = try await client.json("/v2/stocks/AAPL/trades/latest")
            #expect(trades["trades"]?["AAPL"] == single["trade"])
            try Shape.expect(.object(["symbol": .string("MSFT"), "trade": try #require(trades["trades"]?["MSFT"])]), matches: "trade_latest.json")
            #expect(try await client.get("/v2/stocks/trades/latest").status == 400)

            let snapshots = try await client.json("/v2/stocks/snapshots?symbols=AAPL,MSFT")
            #expect(snapshots.objectValue?.keys == ["AAPL", "MSFT"])
            let snapshot = try #require(snapshots["AAPL"])
            #expect(snapshot.objectValue?.keys == ["latestTrade", "latestQuote", "minuteBar", "dailyBar", "prevDailyBar"])
            #expect(snapshot["latestTrade"] == single["trade"])
            try Shape.expect(.object(["symbol": .string("AAPL"), "quote": try #require(snapshot["latestQuote"])]), matches: "quote_latest.json")
            #expect(snapshot["minuteBar"] == bars["AAPL"])
            #expect(snapshot["dailyBar"]?["t"] == .string("2026-03-16T00:00:00.000Z"))
            #expect(snapshot["prevDailyBar"] == .null, "the exchange has not seen the day before")
            let one = try await client.json("/v2/stocks/AAPL/snapshot")
            #expect(one["symbol"] == .string("AAPL"))
            #expect(one["minuteBar"] == snapshot["minuteBar"])
            #expect(try await client.get("/v2/stocks/ZZZZ/snapshot").status == 404)
        }
    }

    /// The day before shows as `prevDailyBar` once the clock has passed midnight UTC.
    @Test func snapshotShowsThePreviousDay() async throws {
        let clock = ManualClock(now: Harness.start)
        try await Harness.withExchange(clock: clock) { _, client in
            let before = try await client.json("/v2/stocks/AAPL/snapshot")
            clock.advance(by: .seconds(11 * 3_600))
            let after = try await client.json("/v2/stocks/AAPL/snapshot")
            #expect(after["prevDailyBar"]?["t"] == .string("2026-03-16T00:00:00.000Z"))
            #expect(after["dailyBar"]?["t"] == .string("2026-03-17T00:00:00.000Z"))
            #expect(after["prevDailyBar"]?["o"] == before["dailyBar"]?["o"])
        }
    }

    /// `/v2/assets` lists the exchange's symbols in Alpaca's asset shape with the ids positions use;
    /// `/v2/assets/{symbol_or_id}` finds one by either; an unknown one is 404.
    @Test func assetsListAndLookup() async throws {
        try await Harness.withExchange { _, client in
            let assets = try #require(try await client.json("/v2/assets").arrayValue)
            #expect(assets.compactMap { $0["symbol"]?.stringValue } == Listing.defaultSymbols.map(\.rawValue))
            let keys = [
                "id", "class", "exchange", "symbol", "name", "status", "tradable", "marginable", "maintenance_margin_requirement",
                "margin_requirement_long", "margin_requirement_short", "shortable", "easy_to_borrow", "fractionable", "attributes",
            ]
            for asset in assets { #expect(asset.objectValue?.keys == keys) }
            _ = try await client.order(#"{"symbol":"AAPL","qty":"1","side":"buy","type":"market","time_in_force":"day"}"#)
            let position = try await client.json("/v2/positions/AAPL")
            let apple = try await client.json("/v2/assets/aapl")
            #expect(apple["id"] == position["asset_id"])
            #expect(apple["exchange"] == .string("NASDAQ"))
            #expect(try await client.json("/v2/assets/\(try apple.string("id"))")["symbol"] == .string("AAPL"))
            #expect(try await client.json("/v2/assets?exchange=ARCA").arrayValue?.compactMap { $0["symbol"]?.stringValue } == ["SPY"])
            #expect(try await client.json("/v2/assets?status=inactive").arrayValue?.isEmpty == true)
            let unknown = try await client.get("/v2/assets/ZZZZ")
            #expect(unknown.status == 404)
            #expect(try unknown.json["code"] == .number("40410000"))
        }
    }

    /// Account configurations read back what `PATCH` set; `no_shorting` and `suspend_trade` are honoured by
    /// the order checks; a wrong value is 422 and changes nothing.
    @Test func accountConfigurationsAreKeptAndHonoured() async throws {
        try await Harness.withExchange { _, client in
            let defaults = try await client.json("/v2/account/configurations")
            #expect(defaults.objectValue?.keys == [
                "dtbp_check", "trade_confirm_email", "suspend_trade", "no_shorting", "fractional_trading", "max_margin_multiplier",
                "pdt_check", "ptp_no_exception_entry",
            ])
            #expect(defaults["no_shorting"] == .bool(false))
            let patched = try await client.request("PATCH", "/v2/account/configurations", body: #"{"no_shorting":true,"trade_confirm_email":"none"}"#)
            #expect(patched.status == 200)
            #expect(try patched.json["no_shorting"] == .bool(true))
            let read = try await client.json("/v2/account/configurations")
            #expect(read["no_shorting"] == .bool(true))
            #expect(read["trade_confirm_email"] == .string("none"))
            #expect(read["dtbp_check"] == defaults["dtbp_check"])
            let short = try await client.post("/v2/orders", #"{"symbol":"AAPL","qty":"1","side":"sell","type":"market","time_in_force":"day"}"#)
            #expect(short.status == 403)
            let bad = try await client.request("PATCH", "/v2/account/configurations", body: #"{"suspend_trade":true,"dtbp_check":"sometimes"}"#)
            #expect(bad.status == 422)
            #expect(try await client.json("/v2/account/configurations")["suspend_trade"] == .bool(false))
            _ = try await client.request("PATCH", "/v2/account/configurations", body: #"{"suspend_trade":true}"#)
            let suspended = try await client.post("/v2/orders", #"{"symbol":"AAPL","qty":"1","side":"buy","type":"market","time_in_force":"day"}"#)
            #expect(suspended.status == 403)
        }
    }

    /// Portfolio history is the equity the exchange recorded at the end of each interval: parallel arrays
    /// of numbers, profit and loss against the first point, the last point the account's equity now.
    @Test func portfolioHistoryFollowsTheEquity() async throws {
        let clock = ManualClock(now: Harness.start)
        try await Harness.withExchange(clock: clock) { _, client in
            _ = try await client.order(#"{"symbol":"NVDA","qty":"50","side":"buy","type":"market","time_in_force":"day"}"#)
            clock.advance(by: .seconds(600))
            let history = try await client.json("/v2/account/portfolio/history?period=1D&timeframe=1Min")
            #expect(history.objectValue?.keys == [
                "timestamp", "equity", "profit_loss", "profit_loss_pct", "base_value", "base_value_asof", "timeframe", "cashflow",
            ])
            let stamps = try #require(history["timestamp"]?.arrayValue)
            let equity = try #require(history["equity"]?.arrayValue)
            let profit = try #require(history["profit_loss"]?.arrayValue)
            #expect(stamps.count == 21, "13:50 to 14:10")
            #expect(equity.count == stamps.count && profit.count == stamps.count && history["profit_loss_pct"]?.arrayValue?.count == stamps.count)
            #expect(stamps.first == .number("\(Harness.start.epochMilliseconds / 1_000 - 600)"))
            #expect(history["base_value"] == .number("100000"))
            #expect(history["timeframe"] == .string("1Min"))
            let account = try await client.json("/v2/account")
            #expect(equity.last?.decimalValue == (try account.decimal("equity")))
            #expect(profit.last?.decimalValue == (try account.decimal("equity")) - 100_000)
            #expect(Set(equity.map(\.typeName)) == ["number"])
            let daily = try await client.json("/v2/account/portfolio/history")
            #expect(daily["timeframe"] == .string("1D"))
            #expect(daily["timestamp"]?.arrayValue?.count == 1)
            #expect(try await client.get("/v2/account/portfolio/history?period=often").status == 422)
        }
    }

    /// The optional fields Alpaca sends are there in its shapes: account `options_buying_power`,
    /// `crypto_status`, `pending_transfer_in/out`; order `expires_at` (the session's end for a day order,
    /// `null` for GTC); position `usd`.
    @Test func optionalFieldsAlpacaSends() async throws {
        try await Harness.withExchange { _, client in
            let account = try await client.json("/v2/account")
            #expect(try account.decimal("options_buying_power") == account.decimal("non_marginable_buying_power"))
            #expect(try account.string("crypto_status") == "INACTIVE")
            #expect(try account.string("pending_transfer_in") == "0")
            #expect(try account.string("pending_transfer_out") == "0")
            let day = try await client.order(#"{"symbol":"AAPL","qty":"1","side":"buy","type":"market","time_in_force":"day"}"#)
            #expect(day["expires_at"] == .string("2026-03-17T00:00:00.000Z"))
            let gtc = try await client.order(#"{"symbol":"AAPL","qty":"1","side":"buy","type":"market","time_in_force":"gtc"}"#)
            #expect(gtc["expires_at"] == .null)
            let position = try await client.json("/v2/positions/AAPL")
            let usd = try #require(position["usd"]?.objectValue)
            #expect(usd.keys == [
                "avg_entry_price", "market_value", "cost_basis", "unrealized_pl", "unrealized_plpc", "unrealized_intraday_pl",
                "unrealized_intraday_plpc", "current_price", "lastday_price", "change_today",
            ])
            for key in usd.keys { #expect(usd[key] == position[key], "\(key)") }
        }
    }
}
