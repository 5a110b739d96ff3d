import Foundation
import Primitives

/// The exchange's objects in Alpaca's shapes (`shared/contracts/alpaca`): money, quantities and trading
/// prices as JSON strings, market-data prices and sizes as numbers, RFC 3339 timestamps, and every
/// nullable field present as `null`.
public enum AlpacaJSON {
    public static func order(_ order: PaperOrder) -> JSONValue {
        let type = JSONValue.string(order.kind.rawValue)
        return .object([
            "id": .string(order.id),
            "client_order_id": .string(order.clientOrderID),
            "created_at": .timestamp(order.createdAt),
            "updated_at": .timestamp(order.updatedAt),
            "submitted_at": .timestamp(order.submittedAt),
            "filled_at": .timestamp(order.filledAt),
            "expired_at": .timestamp(order.expiredAt),
            "expires_at": .timestamp(order.expiresAt),
            "canceled_at": .timestamp(order.canceledAt),
            "failed_at": .null,
            "replaced_at": .timestamp(order.replacedAt),
            "replaced_by": .string(order.replacedBy),
            "replaces": .string(order.replaces),
            "asset_id": .string(Listing.listing(for: order.symbol).assetID),
            "symbol": .string(order.symbol.rawValue),
            "asset_class": .string("us_equity"),
            "notional": .money(order.notional),
            "qty": .money(order.quantity),
            "filled_qty": .money(order.filledQuantity),
            "filled_avg_price": .money(order.filledAveragePrice),
            "order_class": .string("simple"),
            "order_type": type,
            "type": type,
            "side": .string(order.side.rawValue),
            "time_in_force": .string(order.timeInForce.rawValue),
            "limit_price": .money(order.limitPrice),
            "stop_price": .null,
            "status": .string(order.status.rawValue),
            "extended_hours": .bool(false),
            "legs": .null,
            "trail_percent": .null,
            "trail_price": .null,
            "hwm": .null,
            "position_intent": .string(order.positionIntent),
        ])
    }

    public static func position(_ position: PositionView) -> JSONValue {
        .object([
            "asset_id": .string(position.listing.assetID),
            "symbol": .string(position.symbol.rawValue),
            "exchange": .string(position.listing.primaryExchange),
            "asset_class": .string("us_equity"),
            "asset_marginable": .bool(true),
            "qty": .money(position.quantity),
            "qty_available": .money(position.availableQuantity),
            "avg_entry_price": .money(position.averageEntryPrice),
            "side": .string(position.isLong ? "long" : "short"),
            "market_value": .money(position.marketValue),
            "cost_basis": .money(position.costBasis),
            "unrealized_pl": .money(position.unrealizedPL),
            "unrealized_plpc": .money(position.unrealizedPLPercent),
            "unrealized_intraday_pl": .money(position.unrealizedPL),
            "unrealized_intraday_plpc": .money(position.unrealizedPLPercent),
            "current_price": .money(position.currentPrice),
            "lastday_price": .money(position.lastdayPrice),
            "change_today": .money(position.changeToday),
            "usd": usdValues(position),
        ])
    }

    public static func account(_ book: ExchangeBook) -> JSONValue {
        let figures = book.accountFigures
        return .object([
            "id": .string(book.accountID),
            "account_number": .string(book.accountNumber),
            "status": .string("ACTIVE"),
            "crypto_status": .string("INACTIVE"),
            "currency": .string("USD"),
            "cash": .money(figures.cash),
            "buying_power": .money(figures.buyingPower),
            "regt_buying_power": .money(figures.buyingPower),
            "daytrading_buying_power": .money(Decimal(0)),
            "non_marginable_buying_power": .money(figures.nonMarginableBuyingPower),
            "options_buying_power": .money(figures.nonMarginableBuyingPower),
            "portfolio_value": .money(figures.equity),
            "equity": .money(figures.equity),
            "last_equity": .money(book.lastEquity.rounded(2)),
            "long_market_value": .money(figures.longMarketValue),
            "short_market_value": .money(figures.shortMarketValue),
            "initial_margin": .money(figures.initialMargin),
            "maintenance_margin": .money(figures.maintenanceMargin),
            "last_maintenance_margin": .money(book.lastMaintenanceMargin.rounded(2)),
            "multiplier": .money(book.configuration.marginMultiplier),
            "sma": .money(Decimal(0)),
            "daytrade_count": .int(0),
            "pattern_day_trader": .bool(false),
            "trading_blocked": .bool(false),
            "transfers_blocked": .bool(false),
            "account_blocked": .bool(false),
            "trade_suspended_by_user": .bool(false),
            "shorting_enabled": .bool(true),
            "created_at": .timestamp(book.createdAt),
            "accrued_fees": .money(Decimal(0)),
            "pending_transfer_in": .money(Decimal(0)),
            "pending_transfer_out": .money(Decimal(0)),
        ])
    }

    /// `GET /v2/clock`: the paper market is open around the clock; a session is one UTC day, so the next
    /// close and the next open are both the coming midnight UTC.
    public static func clock(now: Timestamp) -> JSONValue {
        let sessionEnd = ExchangeBook.sessionEnd(of: ExchangeBook.session(of: now.epochMilliseconds))
        return .object([
            "timestamp": .timestamp(now),
            "is_open": .bool(true),
            "next_open": .timestamp(sessionEnd),
            "next_close": .timestamp(sessionEnd),
        ])
    }

    /// The inner quote object (`{"t","ax","ap","as","bx","bp","bs","c","z"}`).
    public static func quote(_ quote: MarketQuote) -> JSONValue {
        .object([
            "t": .timestamp(quote.time),
            "ax": .string(quote.askExchange),
            "ap": .price(quote.ask),
            "as": .int(quote.askSize),
            "bx": .string(quote.bidExchange),
            "bp": .price(quote.bid),
            "bs": .int(quote.bidSize),
            "c": .array([.string("R")]),
            "z": .string(quote.listing.tape),
        ])
    }

    /// `GET /v2/stocks/{symbol}/quotes/latest`.
    public static func latestQuote(_ quote: MarketQuote) -> JSONValue {
        .object(["symbol": .string(quote.symbol.rawValue), "quote": Self.quote(quote)])
    }

    /// `GET /v2/stocks/quotes/latest?symbols=`.
    public static func latestQuotes(_ quotes: [MarketQuote]) -> JSONValue {
        .object(["quotes": .object(JSONObject(quotes.map { .init(key: $0.symbol.rawValue, value: Self.quote($0)) }))])
    }

    /// `GET /v2/stocks/{symbol}/trades/latest`: the walk's price as the last trade.
    public static func latestTrade(_ quote: MarketQuote) -> JSONValue {
        .object([
            "symbol": .string(quote.symbol.rawValue),
            "trade": .object([
                "t": .timestamp(quote.time),
                "x": .string(quote.tradeExchange),
                "p": .price(quote.last),
                "s": .int(quote.tradeSize),
                "c": .array([.string("@")]),
                "i": .int(quote.tradeID),
                "z": .string(quote.listing.tape),
            ]),
        ])
    }
}
