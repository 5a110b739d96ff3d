import Foundation
import Primitives

extension AlpacaJSON {
    /// The inner trade object (`{"t","x","p","s","c","i","z"}`): the walk's price as the last trade.
    public static func trade(_ quote: MarketQuote) -> JSONValue {
        .object([
            "t": .timestamp(quote.time),
            "x": .string(quote.tradeExchange),
            "p": .price(quote.last),
            "s": .int(quote.tradeSize),
            "c": .array([.string("@")]),
            "i": .int(quote.tradeID),
            "z": .string(quote.listing.tape),
        ])
    }

    /// `GET /v2/stocks/trades/latest?symbols=`.
    public static func latestTrades(_ quotes: [MarketQuote]) -> JSONValue {
        .object(["trades": .object(JSONObject(quotes.map { .init(key: $0.symbol.rawValue, value: trade($0)) }))])
    }

    /// A bar (`{"t","o","h","l","c","v","n","vw"}`): prices as numbers.
    public static func bar(_ bar: Bar) -> JSONValue {
        .object([
            "t": .timestamp(.milliseconds(bar.start)),
            "o": .price(Decimal(bar.openCents) / 100),
            "h": .price(Decimal(bar.highCents) / 100),
            "l": .price(Decimal(bar.lowCents) / 100),
            "c": .price(Decimal(bar.closeCents) / 100),
            "v": .int(bar.volume),
            "n": .int(bar.trades),
            "vw": .price(bar.vwap),
        ])
    }

    /// A snapshot's body: latest trade and quote, latest minute bar, today's and the previous day's bar
    /// (`null` when the exchange has not seen them).
    public static func snapshot(_ book: ExchangeBook, _ quote: MarketQuote) -> JSONValue {
        let days = book.bars(quote.symbol, timeframe: .day)
        let today = days.last.flatMap { $0.start == ExchangeBook.session(of: quote.time.epochMilliseconds) * 86_400_000 ? $0 : nil }
        let previous = today == nil ? days.last : (days.count >= 2 ? days[days.count - 2] : nil)
        return .object([
            "latestTrade": trade(quote),
            "latestQuote": Self.quote(quote),
            "minuteBar": book.latestMinuteBar(quote.symbol).map(bar) ?? .null,
            "dailyBar": today.map(bar) ?? .null,
            "prevDailyBar": previous.map(bar) ?? .null,
        ])
    }

    /// Alpaca's asset object for a symbol the exchange trades.
    public static func asset(_ listing: Listing) -> JSONValue {
        .object([
            "id": .string(listing.assetID),
            "class": .string("us_equity"),
            "exchange": .string(listing.primaryExchange),
            "symbol": .string(listing.symbol.rawValue),
            "name": .string(listing.name),
            "status": .string("active"),
            "tradable": .bool(true),
            "marginable": .bool(true),
            "maintenance_margin_requirement": .int(30),
            "margin_requirement_long": .string("30"),
            "margin_requirement_short": .string("30"),
            "shortable": .bool(true),
            "easy_to_borrow": .bool(true),
            "fractionable": .bool(true),
            "attributes": .array([]),
        ])
    }

    /// A position's figures in dollars (`usd`): the account's currency is the dollar, so they are the
    /// position's own.
    static func usdValues(_ position: PositionView) -> JSONValue {
        .object([
            "avg_entry_price": .money(position.averageEntryPrice),
            "market_value": .money(position.marketValue),
            "cost_basis": .money(position.costBasis),
            "unrealized_pl": .money(position.unrealizedPL),
            "unrealized_plpc": .money(position.unrealizedPLPercent),
            "unrealized_intraday_pl": .money(position.unrealizedPL),
            "unrealized_intraday_plpc": .money(position.unrealizedPLPercent),
            "current_price": .money(position.currentPrice),
            "lastday_price": .money(position.lastdayPrice),
            "change_today": .money(position.changeToday),
        ])
    }

    /// `GET /v2/account/portfolio/history`: the equity points as parallel arrays of numbers, profit and
    /// loss against the first point (`base_value`).
    public static func portfolioHistory(_ points: [EquityPoint], timeframe: String) -> JSONValue {
        let base = points.first?.equity ?? 0
        return .object([
            "timestamp": .array(points.map { .int($0.start / 1_000) }),
            "equity": .array(points.map { .price($0.equity) }),
            "profit_loss": .array(points.map { .price(($0.equity - base).rounded(2)) }),
            "profit_loss_pct": .array(points.map { base.isZero ? .null : .price(($0.equity / base - 1).rounded(6)) }),
            "base_value": .price(base),
            "base_value_asof": points.first.map { .string(String(Timestamp.milliseconds($0.start).rfc3339.prefix(10))) } ?? .null,
            "timeframe": .string(timeframe),
            "cashflow": .object([:]),
        ])
    }
}

extension Listing {
    /// The issuer's name as Alpaca's asset list writes it (made up for tickers outside the defaults).
    public var name: String {
        switch symbol.rawValue {
        case "AAPL": "Apple Inc. Common Stock"
        case "MSFT": "Microsoft Corporation Common Stock"
        case "NVDA": "NVIDIA Corporation Common Stock"
        case "AMZN": "Amazon.com, Inc. Common Stock"
        case "GOOGL": "Alphabet Inc. Class A Common Stock"
        case "META": "Meta Platforms, Inc. Class A Common Stock"
        case "SPY": "SPDR S&P 500 ETF Trust"
        case "QQQ": "Invesco QQQ Trust, Series 1"
        default: "\(symbol.rawValue) Common Stock (paper)"
        }
    }
}
