import Foundation

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
/// no I/O of its own.
public struct GuardContext: Sendable {
    public var equity: Decimal
    public var buyingPower: Decimal
    public private(set) var positions: [Symbol: HeldPosition]
    /// Latest quote per symbol.
    public var quotes: [Symbol: Quote]
    /// Last trade time per symbol, from the persisted state (so cooldowns survive restarts).
    public var lastTradeAt: [Symbol: Timestamp]
    public var tradingMode: TradingState.Mode
    public var now: Timestamp
    /// Σ |market value| over all positions, kept with `positions`.
    public private(set) var grossExposure: Decimal

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
        self.grossExposure = positions.values.reduce(Decimal.zero) { $0 + $1.marketValue.magnitude }
    }

    public mutating func setPosition(_ position: HeldPosition?, for symbol: Symbol) {
        if let old = positions[symbol] { grossExposure -= old.marketValue.magnitude }
        positions[symbol] = position
        if let position { grossExposure += position.marketValue.magnitude }
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

    public init(_ limits: Configuration.RiskLimits) {
        self.init(
            maxPositionSizeUSD: limits.maxPositionSizeUSD, maxNotionalPerOrder: limits.maxNotionalPerOrder,
            maxPortfolioExposurePct: limits.maxPortfolioExposurePct,
            maxConcentrationPerSymbolPct: limits.maxConcentrationPerSymbolPct,
            maxPriceDeviationPct: limits.maxPriceDeviationPct, minCooldown: .seconds(limits.minCooldownMinutes * 60),
            quoteMaxAge: .seconds(limits.quoteMaxAgeSeconds))
    }
}
