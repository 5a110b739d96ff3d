import Foundation
import Primitives

/// A quote in Alpaca's market-data shape: prices are JSON numbers, decoded exactly (no binary rounding).
public struct AlpacaQuote: Decodable, Hashable, Sendable {
    public var timestamp: Timestamp
    public var askPrice: Decimal
    public var askSize: Decimal
    public var bidPrice: Decimal
    public var bidSize: Decimal

    enum CodingKeys: String, CodingKey {
        case timestamp = "t"
        case askPrice = "ap"
        case askSize = "as"
        case bidPrice = "bp"
        case bidSize = "bs"
    }

    public func quote(for symbol: Symbol) -> Quote {
        Quote(symbol: symbol, bid: bidPrice, ask: askPrice, timestamp: timestamp)
    }
}

/// `GET /v2/stocks/{symbol}/quotes/latest`.
public struct AlpacaLatestQuote: Decodable, Hashable, Sendable {
    public var symbol: Symbol
    public var quote: AlpacaQuote

    enum CodingKeys: String, CodingKey { case symbol, quote }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        symbol = try container.decodeSymbol(.symbol)
        quote = try container.decode(AlpacaQuote.self, forKey: .quote)
    }
}

/// `GET /v2/stocks/quotes/latest?symbols=`.
public struct AlpacaLatestQuotes: Decodable, Hashable, Sendable {
    public var quotes: [String: AlpacaQuote]
}

/// `GET /v2/stocks/{symbol}/trades/latest`.
public struct AlpacaLatestTrade: Decodable, Hashable, Sendable {
    public struct Trade: Decodable, Hashable, Sendable {
        public var timestamp: Timestamp
        public var price: Decimal
        public var size: Decimal

        enum CodingKeys: String, CodingKey {
            case timestamp = "t"
            case price = "p"
            case size = "s"
        }
    }

    public var symbol: String
    public var trade: Trade
}
