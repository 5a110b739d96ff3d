import Foundation
import Primitives

/// What the exchange knows about a ticker it quotes: where the walk starts and the reference data
/// that appears in positions, quotes and flow alerts.
public struct Listing: Sendable, Hashable {
    public var symbol: Symbol
    public var startPrice: Decimal
    /// Alpaca's `exchange` field of a position: `NASDAQ`, `ARCA`, `NYSE`.
    public var primaryExchange: String
    /// The SIP tape of a quote or trade (`z`): `A` NYSE, `B` ARCA and regional, `C` NASDAQ.
    public var tape: String
    public var sector: String
    /// `Common Stock` or `ETF`, as Unusual Whales writes it.
    public var issueType: String
    /// Market capitalisation in dollars; `nil` for funds.
    public var marketCap: Decimal?

    public var isFund: Bool { issueType == "ETF" }

    /// Eight liquid US tickers, the exchange's default list.
    public static let defaults: [Listing] = [
        Listing("AAPL", 190, "NASDAQ", "C", "Technology", "Common Stock", 2_950_000_000_000),
        Listing("MSFT", 420, "NASDAQ", "C", "Technology", "Common Stock", 3_120_000_000_000),
        Listing("NVDA", 120, "NASDAQ", "C", "Technology", "Common Stock", 2_940_000_000_000),
        Listing("AMZN", 185, "NASDAQ", "C", "Consumer Cyclical", "Common Stock", 1_930_000_000_000),
        Listing("GOOGL", 170, "NASDAQ", "C", "Communication Services", "Common Stock", 2_100_000_000_000),
        Listing("META", 500, "NASDAQ", "C", "Communication Services", "Common Stock", 1_270_000_000_000),
        Listing("SPY", 560, "ARCA", "B", "Financial Services", "ETF", nil),
        Listing("QQQ", 480, "NASDAQ", "C", "Technology", "ETF", nil),
    ]

    public static var defaultSymbols: [Symbol] { defaults.map(\.symbol) }

    /// The listing of `symbol`: a default one, or for another ticker one made up from its name
    /// (a start price of $20–$500, a NASDAQ common stock).
    public static func listing(for symbol: Symbol) -> Listing {
        if let known = defaults.first(where: { $0.symbol == symbol }) { return known }
        let dollars = 20 + Int(Mixing.hash(symbol.rawValue) % 481)
        return Listing(
            symbol: symbol, startPrice: Decimal(dollars), primaryExchange: "NASDAQ", tape: "C", sector: "Technology",
            issueType: "Common Stock", marketCap: Decimal(dollars) * 1_000_000_000)
    }

    public init(
        symbol: Symbol, startPrice: Decimal, primaryExchange: String, tape: String, sector: String, issueType: String,
        marketCap: Decimal?
    ) {
        self.symbol = symbol
        self.startPrice = startPrice
        self.primaryExchange = primaryExchange
        self.tape = tape
        self.sector = sector
        self.issueType = issueType
        self.marketCap = marketCap
    }

    private init(
        _ symbol: String, _ price: Decimal, _ exchange: String, _ tape: String, _ sector: String, _ issueType: String,
        _ marketCap: Decimal?
    ) {
        self.init(
            symbol: Symbol(symbol)!, startPrice: price, primaryExchange: exchange, tape: tape, sector: sector,
            issueType: issueType, marketCap: marketCap)
    }

    /// Alpaca's asset id for the symbol: the same on every exchange and run.
    public var assetID: String { Mixing.uuid(Mixing.hash("asset:" + symbol.rawValue)) }
}
