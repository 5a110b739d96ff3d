import Foundation
import Primitives

/// An order the engine (or the operator) wants to send, before any check.
public struct ProposedOrder: Hashable, Sendable {
    /// The symbol as given; `invalid_order` refuses a malformed one.
    public var symbol: String
    public var side: OrderSide
    public var quantity: Decimal
    /// `nil` for a market order: the expected fill (ask for a buy, bid for a sell) is used instead.
    public var limitPrice: Decimal?

    public init(symbol: String, side: OrderSide, quantity: Decimal, limitPrice: Decimal? = nil) {
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.limitPrice = limitPrice
    }
}

/// A position as the guard sees it: signed quantity and its current market value (signed, like the quantity).
public struct HeldPosition: Hashable, Sendable {
    public var quantity: Decimal
    public var marketValue: Decimal

    public init(quantity: Decimal, marketValue: Decimal) {
        self.quantity = quantity
        self.marketValue = marketValue
    }
}

/// Everything the guard needs to judge one order. Built by the caller; the guard reads no clock and does
/// no I/O of its own. The context converts its amounts to exact fixed-point form as they are set, so an
/// evaluation does no `Decimal` arithmetic.
public struct GuardContext: Sendable {
    public var equity: Decimal {
        didSet { fixedEquity = FixedDecimal(equity, rounding: .towardZero) }
    }
    public var buyingPower: Decimal {
        didSet { fixedBuyingPower = FixedDecimal(buyingPower, rounding: .towardZero) }
    }
    public private(set) var positions: [Symbol: HeldPosition]
    /// Latest quote per symbol.
    public var quotes: [Symbol: Quote] {
        didSet { fixedQuotes = quotes.compactMapValues(FixedQuote.init) }
    }
    /// Last trade time per symbol, from the persisted state (so cooldowns survive restarts).
    public var lastTradeAt: [Symbol: Timestamp]
    public var tradingMode: TradingState.Mode
    public var now: Timestamp

    // Exact forms of the amounts above. `nil` means unusable (not finite, or out of range).
    private(set) var fixedEquity: FixedDecimal?
    private(set) var fixedBuyingPower: FixedDecimal?
    private(set) var fixedPositions: [Symbol: FixedPosition]
    private(set) var fixedQuotes: [Symbol: FixedQuote]
    /// Σ |market value| over all positions.
    private(set) var grossExposure: FixedDecimal

    public init(
        equity: Decimal, buyingPower: Decimal, positions: [Symbol: HeldPosition], quotes: [Symbol: Quote],
        lastTradeAt: [Symbol: Timestamp], tradingMode: TradingState.Mode, now: Timestamp
    ) {
        self.equity = equity
        self.buyingPower = buyingPower
        self.positions = positions
        self.quotes = quotes
        self.lastTradeAt = lastTradeAt
        self.tradingMode = tradingMode
        self.now = now
        self.fixedEquity = FixedDecimal(equity, rounding: .towardZero)
        self.fixedBuyingPower = FixedDecimal(buyingPower, rounding: .towardZero)
        self.fixedQuotes = quotes.compactMapValues(FixedQuote.init)
        self.fixedPositions = positions.mapValues(FixedPosition.init)
        self.grossExposure = fixedPositions.values.reduce(FixedDecimal.zero) { $0 + $1.absoluteValue }
    }

    public mutating func setPosition(_ position: HeldPosition?, for symbol: Symbol) {
        if let old = fixedPositions[symbol] { grossExposure = grossExposure - old.absoluteValue }
        positions[symbol] = position
        fixedPositions[symbol] = position.map(FixedPosition.init)
        if let new = fixedPositions[symbol] { grossExposure = grossExposure + new.absoluteValue }
    }
}

/// A held position in exact form: quantity and |market value| (rounded away from zero: it uses up caps).
struct FixedPosition: Sendable {
    var quantity: FixedDecimal
    var absoluteValue: FixedDecimal

    init(_ position: HeldPosition) {
        // A quantity or value that cannot be represented counts as the largest one: it blocks new risk
        // (caps) without blocking an exit (only the order's own quantity matters there).
        let largest = FixedDecimal(units: position.quantity < 0 ? -FixedDecimal.maxUnits : FixedDecimal.maxUnits)
        quantity = FixedDecimal(position.quantity, rounding: .awayFromZero) ?? largest
        absoluteValue = FixedDecimal(position.marketValue.magnitude, rounding: .awayFromZero) ?? FixedDecimal(units: FixedDecimal.maxUnits)
    }
}

/// A quote in exact form; quotes that cannot be represented are left out (and so refused as missing).
struct FixedQuote: Sendable {
    var bid: FixedDecimal
    var ask: FixedDecimal
    var timestamp: Timestamp

    init?(_ quote: Quote) {
        guard let bid = FixedDecimal(quote.bid, rounding: .towardZero), let ask = FixedDecimal(quote.ask, rounding: .awayFromZero) else { return nil }
        self.bid = bid
        self.ask = ask
        self.timestamp = quote.timestamp
    }
}

/// The guard's limits, from the configuration.
public struct GuardLimits: Hashable, Sendable {
    public var maxPositionSizeUSD: Decimal
    public var maxNotionalPerOrder: Decimal
    public var maxPortfolioExposurePct: Decimal
    public var maxConcentrationPerSymbolPct: Decimal
    public var maxPriceDeviationPct: Decimal
    public var minCooldown: Duration
    public var quoteMaxAge: Duration

    public init(
        maxPositionSizeUSD: Decimal, maxNotionalPerOrder: Decimal, maxPortfolioExposurePct: Decimal,
        maxConcentrationPerSymbolPct: Decimal, maxPriceDeviationPct: Decimal, minCooldown: Duration,
        quoteMaxAge: Duration
    ) {
        self.maxPositionSizeUSD = maxPositionSizeUSD
        self.maxNotionalPerOrder = maxNotionalPerOrder
        self.maxPortfolioExposurePct = maxPortfolioExposurePct
        self.maxConcentrationPerSymbolPct = maxConcentrationPerSymbolPct
        self.maxPriceDeviationPct = maxPriceDeviationPct
        self.minCooldown = minCooldown
        self.quoteMaxAge = quoteMaxAge
    }
}
