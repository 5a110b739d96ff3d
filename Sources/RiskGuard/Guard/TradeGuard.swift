import Foundation
import Primitives
import TradingModel

/// What the guard decided about one order.
public enum GuardDecision: Hashable, Sendable {
    case approved(isExit: Bool)
    case rejected(GuardRejection)

    public var isApproved: Bool {
        if case .approved = self { return true }
        return false
    }

    public var rejection: GuardRejection? {
        if case .rejected(let rejection) = self { return rejection }
        return nil
    }
}

/// Every order passes the trade guard before it is sent. A pure, synchronous evaluation of one proposed
/// order against a context: no I/O, no clock reads of its own. The checks and their order are documented
/// on `GuardCheck`. Arithmetic is exact, on fixed-point integers: no `Decimal` arithmetic and no rounding.
public struct TradeGuard: Sendable {
    public let limits: GuardLimits
    private let caps: Caps

    /// The limits in exact form, rounded toward the stricter side if they carry more than 9 decimals.
    private struct Caps: Sendable {
        var maxPositionSize: WideDecimal
        var maxNotional: WideDecimal
        var maxExposure: FixedDecimal
        var maxConcentration: FixedDecimal
        var maxDeviation: FixedDecimal

        init(_ limits: GuardLimits) {
            func cap(_ value: Decimal) -> FixedDecimal { FixedDecimal(value, rounding: .towardZero) ?? .zero }
            maxPositionSize = WideDecimal(cap(limits.maxPositionSizeUSD))
            maxNotional = WideDecimal(cap(limits.maxNotionalPerOrder))
            maxExposure = cap(limits.maxPortfolioExposurePct)
            maxConcentration = cap(limits.maxConcentrationPerSymbolPct)
            maxDeviation = cap(limits.maxPriceDeviationPct)
        }
    }

    public init(limits: GuardLimits) {
        self.limits = limits
        self.caps = Caps(limits)
    }

    public func evaluate(_ order: ProposedOrder, in context: GuardContext) -> GuardDecision {
        // 1. invalid_order
        guard let symbol = Symbol(order.symbol) else {
            return reject(order, .invalidOrder, "symbol \"\(order.symbol)\" is not a valid ticker", limit: "1–10 of A–Z 0–9 . /", actual: "\"\(order.symbol)\"")
        }
        guard let quantity = FixedDecimal(order.quantity), quantity.isPositive else {
            return reject(order, .invalidOrder, "quantity must be a positive number with at most 9 decimals", limit: "> 0", actual: "\(order.quantity)")
        }
        var limitPrice: FixedDecimal?
        if let limit = order.limitPrice {
            guard let price = FixedDecimal(limit), price.isPositive else {
                return reject(order, .invalidOrder, "limit price must be a positive number with at most 9 decimals", limit: "> 0", actual: "\(limit)")
            }
            limitPrice = price
        }

        let held = context.fixedPositions[symbol]?.quantity ?? .zero
        let signedQuantity = order.side == .buy ? quantity : -quantity
        let after = held + signedQuantity
        let isReducing = held.units != 0 && held.isPositive != signedQuantity.isPositive
        let isExit = isReducing && quantity <= held.magnitude

        // 2. trading_state
        switch context.tradingMode {
        case .active:
            break
        case .halted:
            return reject(order, .tradingState, "trading is HALTED; no order is sent", limit: "ACTIVE", actual: "HALTED")
        case .reducing:
            guard isExit else {
                return reject(order, .tradingState, "trading is REDUCING; only orders that shrink a position are sent", limit: "reduce only", actual: held.units == 0 ? "opens a position" : "grows or flips the position")
            }
        }

        // 3. price_sanity
        guard let quote = context.fixedQuotes[symbol] else {
            let reason = context.quotes[symbol] == nil ? "no quote for \(symbol)" : "the quote for \(symbol) is not a usable number"
            return reject(order, .priceSanity, reason, limit: "a quote ≤ \(Self.seconds(limits.quoteMaxAge)) old", actual: "none")
        }
        let age = quote.timestamp.duration(to: context.now)
        guard age <= limits.quoteMaxAge else {
            return reject(order, .priceSanity, "the quote for \(symbol) is stale", limit: "≤ \(Self.seconds(limits.quoteMaxAge))", actual: Self.seconds(age))
        }
        guard quote.bid.isPositive, quote.ask >= quote.bid else {
            return reject(order, .priceSanity, "the quote for \(symbol) is empty or crossed", limit: "0 < bid ≤ ask", actual: "bid \(quote.bid.text(decimals: 4)) ask \(quote.ask.text(decimals: 4))")
        }
        let price = limitPrice ?? (order.side == .buy ? quote.ask : quote.bid)
        // |price − mid| ≤ pct × mid, with mid = (bid + ask) / 2, multiplied through by 2.
        let twiceMid = quote.bid + quote.ask
        let twiceDeviation = (price + price - twiceMid).magnitude
        guard let allowed = caps.maxDeviation * twiceMid, WideDecimal(twiceDeviation) <= allowed else {
            let deviation = FixedDecimal.ratio(WideDecimal(twiceDeviation), twiceMid)?.percent ?? "?"
            let mid = FixedDecimal(units: twiceMid.units / 2).text(decimals: 4)
            return reject(order, .priceSanity, "price \(price.text(decimals: 4)) is \(deviation) from the mid \(mid)", limit: "±\(caps.maxDeviation.percent)", actual: deviation)
        }

        if isExit { return .approved(isExit: true) }

        // 4. direction_flip
        if isReducing {
            let heldText = held.magnitude.text(decimals: 4)
            return reject(order, .directionFlip, "would take a \(held.isPositive ? "long" : "short") position of \(heldText) to \(after.isPositive ? "long" : "short") \(after.magnitude.text(decimals: 4)) in one step; close it first", limit: "≤ \(heldText) to close", actual: quantity.text(decimals: 4))
        }

        // 5. cooldown
        if let last = context.lastTradeAt[symbol] {
            let since = last.duration(to: context.now)
            if since < limits.minCooldown {
                return reject(order, .cooldown, "last trade on \(symbol) was \(Self.seconds(since)) ago", limit: "≥ \(Self.seconds(limits.minCooldown))", actual: Self.seconds(since))
            }
        }

        guard let notional = quantity * price, let signedValueAfter = after * price else {
            return reject(order, .invalidOrder, "quantity × price is out of range", limit: "< 10^20", actual: "\(order.quantity) × \(price.decimal)")
        }

        // 6. max_notional
        guard notional <= caps.maxNotional else {
            return reject(order, .maxNotional, "order value \(notional.money) is above the per-order cap", limit: caps.maxNotional.money, actual: notional.money)
        }

        // 7. max_position_size
        let valueAfter = signedValueAfter.magnitude
        guard valueAfter <= caps.maxPositionSize else {
            return reject(order, .maxPositionSize, "position in \(symbol) would be worth \(valueAfter.money)", limit: caps.maxPositionSize.money, actual: valueAfter.money)
        }

        // 8. max_exposure
        guard let equity = context.fixedEquity, equity.isPositive else {
            return reject(order, .maxExposure, "account equity is not positive", limit: "equity > 0", actual: context.fixedEquity?.money ?? "\(context.equity)")
        }
        let valueBefore = context.fixedPositions[symbol]?.absoluteValue ?? .zero
        let exposureAfter = WideDecimal(context.grossExposure - valueBefore) + valueAfter
        guard let exposureCap = caps.maxExposure * equity, exposureAfter <= exposureCap else {
            let share = FixedDecimal.ratio(exposureAfter, equity)?.percent ?? "?"
            return reject(order, .maxExposure, "gross exposure would be \(exposureAfter.money), \(share) of equity", limit: caps.maxExposure.percent, actual: share)
        }

        // 9. max_concentration
        guard let concentrationCap = caps.maxConcentration * equity, valueAfter <= concentrationCap else {
            let share = FixedDecimal.ratio(valueAfter, equity)?.percent ?? "?"
            return reject(order, .maxConcentration, "\(symbol) would be \(share) of equity", limit: caps.maxConcentration.percent, actual: share)
        }

        // 10. buying_power
        guard let buyingPower = context.fixedBuyingPower, notional <= WideDecimal(buyingPower) else {
            let available = context.fixedBuyingPower?.money ?? "\(context.buyingPower)"
            return reject(order, .buyingPower, "order costs \(notional.money) with \(available) of buying power", limit: available, actual: notional.money)
        }

        return .approved(isExit: false)
    }

    private func reject(_ order: ProposedOrder, _ check: GuardCheck, _ message: String, limit: String, actual: String) -> GuardDecision {
        .rejected(GuardRejection(symbol: order.symbol, side: order.side, quantity: order.quantity, check: check.rawValue, message: message, limit: limit, actual: actual))
    }

    // Wording, on the rejection path only.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = (seconds * 10 + attoseconds / 100_000_000_000_000_000)
        return tenths % 10 == 0 ? "\(tenths / 10)s" : "\(tenths / 10).\(abs(tenths % 10))s"
    }
}
