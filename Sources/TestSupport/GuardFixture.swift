import Foundation
import Primitives
import RiskGuard
import TradingModel

/// A context and limits that tests change one field at a time (the guard's and the order gate's tests).
public struct GuardFixture {
    public static let now = Timestamp(rfc3339: "2026-01-05T15:00:00Z")!
    public static let aapl = Symbol("AAPL")!
    public static let msft = Symbol("MSFT")!

    public var limits = GuardLimits(
        maxPositionSizeUSD: 1_000_000, maxNotionalPerOrder: 1_000_000, maxPortfolioExposurePct: 1,
        maxConcentrationPerSymbolPct: 1, maxPriceDeviationPct: Decimal(string: "0.05")!, minCooldown: .seconds(300),
        quoteMaxAge: .seconds(60))
    public var context = GuardContext(
        equity: 1_000_000, buyingPower: 1_000_000, positions: [:],
        quotes: [aapl: Quote(symbol: aapl, bid: Decimal(string: "99.99")!, ask: Decimal(string: "100.01")!, timestamp: now)],
        lastTradeAt: [:], tradingMode: .active, now: now)

    public func evaluate(_ side: OrderSide = .buy, _ quantity: String, limit: String? = "100", symbol: String = "AAPL") -> GuardDecision {
        let order = ProposedOrder(symbol: symbol, side: side, quantity: Decimal(string: quantity)!, limitPrice: limit.map { Decimal(string: $0)! })
        return TradeGuard(limits: limits).evaluate(order, in: context)
    }

    /// The check that refused the order, or nil when it was approved.
    public func check(_ side: OrderSide = .buy, _ quantity: String, limit: String? = "100", symbol: String = "AAPL") -> String? {
        evaluate(side, quantity, limit: limit, symbol: symbol).rejection?.check
    }

    public init() {}

    public mutating func hold(_ symbol: Symbol, quantity: Decimal, price: Decimal = 100) {
        context.setPosition(HeldPosition(quantity: quantity, marketValue: quantity * price), for: symbol)
    }
}
