import Foundation
import Primitives

/// The streams' messages in Alpaca's shapes (the contract samples in Tests/PaperExchangeTests/Fixtures,
/// `stream_*.json`): the trading stream's `{"stream": …, "data": …}` objects, and the market-data stream's
/// arrays of `{"T": …}` objects, market-data prices and sizes as numbers as on the REST routes.
public enum AlpacaStreamJSON {
    // MARK: trading stream

    public static func authorization(authorized: Bool) -> JSONValue {
        .object([
            "stream": .string("authorization"),
            "data": .object(["status": .string(authorized ? "authorized" : "unauthorized"), "action": .string("authenticate")]),
        ])
    }

    public static func listening(_ streams: [String]) -> JSONValue {
        .object(["stream": .string("listening"), "data": .object(["streams": .array(streams.map { .string($0) })])])
    }

    /// A refusal on the trading stream (an unknown action, a frame that is not JSON, listening before
    /// authenticating), before the connection is closed.
    public static func tradingError(_ message: String) -> JSONValue {
        .object(["stream": .string("error"), "data": .object(["error_message": .string(message)])])
    }

    public static func tradeUpdate(_ event: OrderEvent) -> JSONValue {
        var data: JSONObject = ["event": .string(event.kind.rawValue)]
        if event.kind == .fill || event.kind == .partialFill {
            data["execution_id"] = .string(Mixing.uuid(Mixing.hash(event.order.id), Mixing.hash("execution")))
        }
        data["order"] = AlpacaJSON.order(event.order)
        if let price = event.price { data["price"] = .money(price) }
        if let quantity = event.quantity { data["qty"] = .money(quantity) }
        if let position = event.positionQuantity { data["position_qty"] = .money(position) }
        data["timestamp"] = .timestamp(event.timestamp)
        return .object(["stream": .string("trade_updates"), "data": .object(data)])
    }

    // MARK: market-data stream

    public static func success(_ message: String) -> JSONValue {
        .object(["T": .string("success"), "msg": .string(message)])
    }

    public static func error(_ error: StreamError) -> JSONValue {
        .object(["T": .string("error"), "code": .int(error.code), "msg": .string(error.message)])
    }

    public static func subscription(_ subscription: MarketSubscription) -> JSONValue {
        func list(_ symbols: [String]) -> JSONValue { .array(symbols.map { .string($0) }) }
        return .object([
            "T": .string("subscription"),
            "trades": list(subscription.trades),
            "quotes": list(subscription.quotes),
            "bars": list(subscription.bars),
            "updatedBars": list(subscription.updatedBars),
            "dailyBars": list(subscription.dailyBars),
            "statuses": list(subscription.statuses),
            "lulds": list(subscription.lulds),
            "corrections": list(subscription.trades),
            "cancelErrors": list(subscription.trades),
        ])
    }

    public static func quote(_ quote: MarketQuote) -> JSONValue {
        .object([
            "T": .string("q"),
            "S": .string(quote.symbol.rawValue),
            "bx": .string(quote.bidExchange),
            "bp": .price(quote.bid),
            "bs": .int(quote.bidSize),
            "ax": .string(quote.askExchange),
            "ap": .price(quote.ask),
            "as": .int(quote.askSize),
            "c": .array([.string("R")]),
            "z": .string(quote.listing.tape),
            "t": .timestamp(quote.time),
        ])
    }

    public static func trade(_ quote: MarketQuote) -> JSONValue {
        .object([
            "T": .string("t"),
            "S": .string(quote.symbol.rawValue),
            "i": .int(quote.tradeID),
            "x": .string(quote.tradeExchange),
            "p": .price(quote.last),
            "s": .int(quote.tradeSize),
            "c": .array([.string("@")]),
            "z": .string(quote.listing.tape),
            "t": .timestamp(quote.time),
        ])
    }

    /// A minute bar, once its minute is over.
    /// The REST body's bar (`AlpacaJSON.bar`) with the stream's type and symbol first.
    public static func bar(_ symbol: Symbol, _ bar: Bar) -> JSONValue {
        guard case .object(let fields) = AlpacaJSON.bar(bar) else { return AlpacaJSON.bar(bar) }
        return .object(JSONObject([.init(key: "T", value: .string("b")), .init(key: "S", value: .string(symbol.rawValue))] + fields.members))
    }
}
