import Foundation
import PaperExchange
import Primitives
import Testing

/// The streams' encoders produce the shapes of the contract samples (`Fixtures/stream_*.json`).
struct StreamContractTests {
    /// Authorization, listening and the `new` and `fill` trade updates of the trading stream.
    @Test func tradingStreamMessages() throws {
        #expect(AlpacaStreamJSON.authorization(authorized: true) == (try Fixtures.json("stream_authorization.json")))
        #expect(AlpacaStreamJSON.listening(["trade_updates"]) == (try Fixtures.json("stream_listening.json")))

        let book = ExchangeBook(configuration: .init(seed: 3), createdAt: Harness.start)
        var working = book
        // A marketable limit order: it fills at the ask on the next advance.
        _ = try working.submit(
            OrderRequest(json: try JSONValue(parsing: #"{"symbol":"AAPL","qty":"1","side":"buy","type":"limit","limit_price":"10000","time_in_force":"day"}"#)),
            now: Harness.start)
        var filled = working
        filled.advance(to: Harness.start)
        let events = OrderEvent.changes(from: book, to: working) + OrderEvent.changes(from: working, to: filled)
        let new = try #require(events.first)
        #expect(new.kind == OrderEvent.Kind.new)
        try Shape.expect(AlpacaStreamJSON.tradeUpdate(new), matches: "stream_trade_update_new.json")
        let fill = try #require(events.first { $0.kind == OrderEvent.Kind.fill })
        try Shape.expect(AlpacaStreamJSON.tradeUpdate(fill), matches: "stream_trade_update_fill.json")
        #expect(fill.positionQuantity == 1)
    }

    /// Success, error, subscription, quote, trade and bar messages of the market-data stream.
    @Test func marketDataMessages() throws {
        #expect(JSONValue.array([AlpacaStreamJSON.success("connected")]) == (try Fixtures.json("stream_md_connected.json")))
        #expect(JSONValue.array([AlpacaStreamJSON.success("authenticated")]) == (try Fixtures.json("stream_md_authenticated.json")))
        #expect(JSONValue.array([AlpacaStreamJSON.error(.authFailed)]) == (try Fixtures.json("stream_md_error.json")))
        let subscription = try MarketSubscription().applying(
            try JSONValue(parsing: #"{"action":"subscribe","trades":["AAPL"],"quotes":["AMD","CLDR"],"bars":["*"],"dailyBars":["VOO"]}"#),
            adding: true, maxSymbols: 30)
        let sample = try Fixtures.json("stream_md_subscription.json")
        #expect(JSONValue.array([AlpacaStreamJSON.subscription(subscription)]) == sample)

        var book = ExchangeBook(configuration: .init(seed: 3), createdAt: Harness.start)
        book.advance(to: Timestamp(rfc3339: "2026-03-16T14:02:00Z")!)  // two minutes of walk: finished minute bars
        let quote = try #require(book.market.quote(Symbol("AAPL")!))
        try Shape.expect(.array([AlpacaStreamJSON.quote(quote)]), matches: "stream_md_quote.json")
        try Shape.expect(.array([AlpacaStreamJSON.trade(quote)]), matches: "stream_md_trade.json")
        let bar = try #require(book.latestMinuteBar(Symbol("AAPL")!))
        try Shape.expect(.array([AlpacaStreamJSON.bar(Symbol("AAPL")!, bar)]), matches: "stream_md_bar.json")
    }
}
