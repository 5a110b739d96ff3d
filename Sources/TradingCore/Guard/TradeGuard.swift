import Foundation

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
/// on `GuardCheck`.
public struct TradeGuard: Sendable {
    public var limits: GuardLimits

    public init(limits: GuardLimits) {
        self.limits = limits
    }

    public func evaluate(_ order: ProposedOrder, in context: GuardContext) -> GuardDecision {
        // 1. invalid_order
        guard let symbol = Symbol(order.symbol) else {
            return reject(order, .invalidOrder, "symbol \"\(order.symbol)\" is not a valid ticker", limit: "1–10 of A–Z 0–9 . /", actual: "\"\(order.symbol)\"")
        }
        guard order.quantity.isFinite, order.quantity > 0 else {
            return reject(order, .invalidOrder, "quantity must be a positive number", limit: "> 0", actual: Self.text(order.quantity))
        }
        if let limitPrice = order.limitPrice, !(limitPrice.isFinite && limitPrice > 0) {
            return reject(order, .invalidOrder, "limit price must be a positive number", limit: "> 0", actual: Self.text(limitPrice))
        }

        let held = context.positions[symbol]?.quantity ?? 0
        let signedQuantity = order.side == .buy ? order.quantity : -order.quantity
        let after = held + signedQuantity
        let isReducing = held != 0 && (held > 0) != (signedQuantity > 0)
        let isExit = isReducing && order.quantity <= held.magnitude

        // 2. trading_state
        switch context.tradingMode {
        case .active:
            break
        case .halted:
            return reject(order, .tradingState, "trading is HALTED; no order is sent", limit: "ACTIVE", actual: "HALTED")
        case .reducing:
            guard isExit else {
                return reject(order, .tradingState, "trading is REDUCING; only orders that shrink a position are sent", limit: "reduce only", actual: held == 0 ? "opens a position" : "grows or flips the position")
            }
        }

        // 3. price_sanity
        guard let quote = context.quotes[symbol] else {
            return reject(order, .priceSanity, "no quote for \(symbol)", limit: "a quote ≤ \(Self.seconds(limits.quoteMaxAge)) old", actual: "none")
        }
        let age = quote.timestamp.duration(to: context.now)
        guard age <= limits.quoteMaxAge else {
            return reject(order, .priceSanity, "the quote for \(symbol) is stale", limit: "≤ \(Self.seconds(limits.quoteMaxAge))", actual: Self.seconds(age))
        }
        guard quote.bid > 0, quote.ask >= quote.bid else {
            return reject(order, .priceSanity, "the quote for \(symbol) is empty or crossed", limit: "0 < bid ≤ ask", actual: "bid \(Self.text(quote.bid)) ask \(Self.text(quote.ask))")
        }
        let price = order.limitPrice ?? (order.side == .buy ? quote.ask : quote.bid)
        let mid = quote.mid
        let deviation = (price - mid).magnitude / mid
        guard deviation <= limits.maxPriceDeviationPct else {
            return reject(order, .priceSanity, "price \(Self.text(price)) is \(Self.percent(deviation)) from the mid \(Self.text(mid))", limit: "±\(Self.percent(limits.maxPriceDeviationPct))", actual: Self.percent(deviation))
        }

        if isExit { return .approved(isExit: true) }

        // 4. direction_flip
        if isReducing {
            return reject(order, .directionFlip, "would take a \(held > 0 ? "long" : "short") position of \(Self.text(held.magnitude)) to \(after > 0 ? "long" : "short") \(Self.text(after.magnitude)) in one step; close it first", limit: "≤ \(Self.text(held.magnitude)) to close", actual: Self.text(order.quantity))
        }

        // 5. cooldown
        if let last = context.lastTradeAt[symbol] {
            let since = last.duration(to: context.now)
            if since < limits.minCooldown {
                return reject(order, .cooldown, "last trade on \(symbol) was \(Self.seconds(since)) ago", limit: "≥ \(Self.seconds(limits.minCooldown))", actual: Self.seconds(since))
            }
        }

        // 6. max_notional
        let notional = order.quantity * price
        guard notional <= limits.maxNotionalPerOrder else {
            return reject(order, .maxNotional, "order value \(Self.money(notional)) is above the per-order cap", limit: Self.money(limits.maxNotionalPerOrder), actual: Self.money(notional))
        }

        // 7. max_position_size
        let valueAfter = (after * price).magnitude
        guard valueAfter <= limits.maxPositionSizeUSD else {
            return reject(order, .maxPositionSize, "position in \(symbol) would be worth \(Self.money(valueAfter))", limit: Self.money(limits.maxPositionSizeUSD), actual: Self.money(valueAfter))
        }

        // 8. max_exposure
        let valueBefore = context.positions[symbol]?.marketValue.magnitude ?? 0
        let exposureAfter = context.grossExposure - valueBefore + valueAfter
        guard context.equity > 0 else {
            return reject(order, .maxExposure, "account equity is not positive", limit: "equity > 0", actual: Self.money(context.equity))
        }
        let exposureShare = exposureAfter / context.equity
        guard exposureShare <= limits.maxPortfolioExposurePct else {
            return reject(order, .maxExposure, "gross exposure would be \(Self.money(exposureAfter)), \(Self.percent(exposureShare)) of equity", limit: Self.percent(limits.maxPortfolioExposurePct), actual: Self.percent(exposureShare))
        }

        // 9. max_concentration
        let concentration = valueAfter / context.equity
        guard concentration <= limits.maxConcentrationPerSymbolPct else {
            return reject(order, .maxConcentration, "\(symbol) would be \(Self.percent(concentration)) of equity", limit: Self.percent(limits.maxConcentrationPerSymbolPct), actual: Self.percent(concentration))
        }

        // 10. buying_power
        guard notional <= context.buyingPower else {
            return reject(order, .buyingPower, "order costs \(Self.money(notional)) with \(Self.money(context.buyingPower)) of buying power", limit: Self.money(context.buyingPower), actual: Self.money(notional))
        }

        return .approved(isExit: false)
    }

    private func reject(_ order: ProposedOrder, _ check: GuardCheck, _ message: String, limit: String, actual: String) -> GuardDecision {
        .rejected(GuardRejection(symbol: order.symbol, side: order.side, quantity: order.quantity, check: check.rawValue, message: message, limit: limit, actual: actual))
    }

    // Formatting happens only on the rejection path.
    static func text(_ value: Decimal) -> String { "\(value)" }

    static func money(_ value: Decimal) -> String {
        var rounded = Decimal()
        var copy = value
        NSDecimalRound(&rounded, &copy, 2, .plain)
        return "\(rounded) USD"
    }

    static func percent(_ fraction: Decimal) -> String {
        var rounded = Decimal()
        var scaled = fraction * 100
        NSDecimalRound(&rounded, &scaled, 2, .plain)
        return "\(rounded)%"
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = (seconds * 10 + attoseconds / 100_000_000_000_000_000)
        return tenths % 10 == 0 ? "\(tenths / 10)s" : "\(tenths / 10).\(abs(tenths % 10))s"
    }
}
