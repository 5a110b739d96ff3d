import Foundation
import Testing

@testable import MarketClients
import Primitives
import TradingModel

struct ContractDecodingTests {
    private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// Every Alpaca sample decodes, money exactly from strings and prices exactly from numbers.
    @Test func alpacaSamples() throws {
        let account = try decode(AlpacaAccount.self, Contracts.sample("alpaca/account.json"))
        #expect(account.equity == 100_000 && account.buyingPower == 200_000 && account.cash == 100_000)
        let positions = try decode([AlpacaPosition].self, Contracts.sample("alpaca/positions.json"))
        #expect(positions.first?.averageEntryPrice == Decimal(string: "174.78"))
        #expect(positions.first?.brokerPosition?.quantity == 2)
        let order = try decode(AlpacaOrder.self, Contracts.sample("alpaca/order.json"))
        #expect(order.status == .open && order.type == .limit && order.side == .buy && order.orderClass == .simple)
        #expect(order.limitPrice == Decimal(string: "175.1"))
        #expect(order.filledAt == nil)
        let clock = try decode(AlpacaClock.self, Contracts.sample("alpaca/clock.json"))
        #expect(clock.isOpen)
        let quote = try decode(AlpacaLatestQuote.self, Contracts.sample("alpaca/quote_latest.json"))
        #expect(quote.quote.askPrice == Decimal(string: "175.24"))
        #expect(quote.quote.bidPrice == Decimal(string: "175.21"))
        #expect(quote.quote.timestamp.epochComponents.nanoseconds == 204_726_425)
        let quotes = try decode(AlpacaLatestQuotes.self, Contracts.sample("alpaca/quotes_latest_multi.json"))
        #expect(quotes.quotes["MSFT"]?.bidPrice == Decimal(string: "402.44"))
    }

    /// The Unusual Whales sample decodes, premiums exactly.
    @Test func flowAlertSample() throws {
        let page = try decode(FlowAlertPage.self, Contracts.sample("uw/flow_alerts.json"))
        let alert = try #require(page.data.first)
        #expect(alert.type == .call && alert.ticker == "QQQ")
        #expect(alert.totalPremium == 143_920)
        #expect(alert.askSideShare == Decimal(120_000) / Decimal(143_920))
    }

    /// Nulls, extra fields, new enum values, nine fractional digits with an offset, and commission as a
    /// string or a number all decode; unknown enum values are kept.
    @Test func variants() throws {
        var text = try Contracts.sample("alpaca/order.json")
        text = text.replacingOccurrences(of: "\"status\":\"accepted\"", with: "\"status\":\"pending_review\"")
        text = text.replacingOccurrences(of: "\"type\":\"limit\"", with: "\"type\":\"trailing_stop_limit\"")
        text = text.replacingOccurrences(of: "\"order_class\":\"simple\"", with: "\"order_class\":\"mleg\"")
        text = text.replacingOccurrences(of: "\"side\":\"buy\"", with: "\"side\":\"sell_short\"")
        text = text.replacingOccurrences(of: "\"created_at\":\"2026-03-16T18:38:01.942282Z\"", with: "\"created_at\":\"2026-03-16T14:38:01.123456789-04:00\"")
        text = text.replacingOccurrences(of: "\"extended_hours\":false", with: "\"extended_hours\":null,\"brand_new_field\":{\"x\":[1,2]},\"commission\":\"1.25\"")
        let order = try decode(AlpacaOrder.self, text)
        #expect(order.status == .unknown("pending_review"))
        #expect(order.type == .unknown("trailing_stop_limit"))
        #expect(order.orderClass == .unknown("mleg"))
        #expect(order.side == .unknown("sell_short"))
        #expect(order.brokerOrder == nil)
        #expect(order.createdAt == Timestamp(rfc3339: "2026-03-16T18:38:01.123456789Z"))
        #expect(order.commission == Decimal(string: "1.25"))
        let numeric = try decode(AlpacaOrder.self, text.replacingOccurrences(of: "\"commission\":\"1.25\"", with: "\"commission\":1.25"))
        #expect(numeric.commission == Decimal(string: "1.25"))
    }

    /// A missing required field or a wrong type is a SCHEMA error naming the endpoint, the field and what was found.
    @Test func schemaErrorsNameTheField() async throws {
        let account = try Contracts.sample("alpaca/account.json")
        let missing = account.replacingOccurrences(of: "\"equity\":\"100000\",", with: "")
        let wrongType = account.replacingOccurrences(of: "\"equity\":\"100000\"", with: "\"equity\":100000")
        let notDecimal = account.replacingOccurrences(of: "\"equity\":\"100000\"", with: "\"equity\":\"12abc\"")
        for (body, expected) in [
            (missing, "missing required field `equity`"),
            (wrongType, "field `equity`: expected a string, found a number 100000"),
            (notDecimal, "field `equity`: expected a decimal string, found \"12abc\""),
            ("<html>oops</html>", "the body is not valid JSON"),
        ] {
            let requester = makeRequester(FakeTransport(responses: [.success(.json(200, body))]))
            do {
                _ = try await requester.get("/v2/account", as: AlpacaAccount.self)
                Issue.record("expected a schema error for \(expected)")
            } catch {
                #expect(error.errorClass == .schema)
                #expect(error.endpoint == "GET /v2/account")
                #expect(error.message.hasPrefix(expected), "\(error.message)")
            }
        }
    }

    /// A position's sign follows its side, whatever sign its quantity arrived with.
    @Test func positionSign() throws {
        let short = try decode(AlpacaPosition.self, #"{"symbol":"TSLA","qty":"-3","side":"short","avg_entry_price":"250.5"}"#)
        #expect(short.brokerPosition?.quantity == -3)
        let unsigned = try decode(AlpacaPosition.self, #"{"symbol":"TSLA","qty":"3","side":"short","avg_entry_price":"250.5"}"#)
        #expect(unsigned.brokerPosition?.quantity == -3)
    }

    /// The order request carries money as strings and the intent's client order id.
    @Test func orderRequestBody() throws {
        let intent = OrderIntent(clientOrderID: "bw-1", symbol: Symbol("AAPL")!, side: .buy, quantity: 2, limitPrice: Decimal(string: "175.10")!, createdAt: .seconds(0))
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(AlpacaOrderRequest(intent: intent))) as? [String: Any])
        #expect(object["qty"] as? String == "2")
        #expect(object["limit_price"] as? String == "175.1")
        #expect(object["type"] as? String == "limit")
        #expect(object["client_order_id"] as? String == "bw-1")
        #expect(object["time_in_force"] as? String == "day")
    }
}
