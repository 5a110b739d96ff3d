import Foundation
import PaperExchange
import Primitives
import Testing

/// The trading stream's refusal and `canceled` update against their contract samples, which the client's
/// decoders are checked against too (MarketClientsTests' `TradingStreamDecodingTests`).
struct TradingStreamSampleTests {
    /// A refusal is `{"stream":"error","data":{"error_message":…}}`, as the sample.
    @Test func refusalMatchesTheSample() throws {
        #expect(AlpacaStreamJSON.tradingError("not authenticated") == (try Fixtures.json("stream_error.json")))
    }

    /// A resting limit order canceled is pushed as a `canceled` update of the sample's shape.
    @Test func canceledUpdateMatchesTheSample() throws {
        let book = ExchangeBook(configuration: .init(seed: 3), createdAt: Harness.start)
        var working = book
        let order = try working.submit(
            OrderRequest(json: try JSONValue(parsing: #"{"symbol":"AAPL","qty":"1","side":"buy","type":"limit","limit_price":"1","time_in_force":"day"}"#)),
            now: Harness.start)
        var canceled = working
        _ = try canceled.cancel(orderID: order.id, now: Harness.start.advanced(by: .seconds(30)))
        let events = OrderEvent.changes(from: working, to: canceled)
        let event = try #require(events.first { $0.kind == .canceled })
        try Shape.expect(AlpacaStreamJSON.tradeUpdate(event), matches: "stream_trade_update_canceled.json")
    }
}
