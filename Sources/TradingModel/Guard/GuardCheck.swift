/// The trade guard's checks, in the fixed order they run. When several would refuse an order, the
/// rejection names the first one in this order.
///
/// 1. `invalid_order` — zero, negative or non-finite quantity or price; an empty or malformed symbol.
/// 2. `trading_state` — HALTED refuses everything; REDUCING refuses anything that does not shrink a position.
/// 3. `price_sanity` — a quote is required, no older than `QUOTE_MAX_AGE_SECONDS`, not crossed, and the
///    order's price (limit, or the expected fill: ask for a buy, bid for a sell) within
///    ±`MAX_PRICE_DEVIATION_PCT` of its mid.
/// 4. `direction_flip` — an order that would take a long position short, or a short one long, in one step.
/// 5. `cooldown` — a trade on the symbol within `MIN_COOLDOWN_MINUTES` of its last one.
/// 6. `max_notional` — quantity × price above `MAX_NOTIONAL_PER_ORDER`.
/// 7. `max_position_size` — the position's value after the order above `MAX_POSITION_SIZE_USD`.
/// 8. `max_exposure` — the sum of absolute position values after the order, over equity, above
///    `MAX_PORTFOLIO_EXPOSURE_PCT`.
/// 9. `max_concentration` — the symbol's absolute value after the order, over equity, above
///    `MAX_CONCENTRATION_PER_SYMBOL_PCT`.
/// 10. `buying_power` — the order's cost above the account's buying power.
///
/// Exits (orders that only shrink a position) run checks 1–3 only: a guard must never trap an operator in
/// a position, so no cap, cooldown or buying-power rule can refuse a way out.
public enum GuardCheck: String, Hashable, Sendable, Codable, CaseIterable {
    case invalidOrder = "invalid_order"
    case tradingState = "trading_state"
    case priceSanity = "price_sanity"
    case directionFlip = "direction_flip"
    case cooldown = "cooldown"
    case maxNotional = "max_notional"
    case maxPositionSize = "max_position_size"
    case maxExposure = "max_exposure"
    case maxConcentration = "max_concentration"
    case buyingPower = "buying_power"

    /// Whether an exit is subject to this check.
    public var appliesToExits: Bool {
        switch self {
        case .invalidOrder, .tradingState, .priceSanity: true
        default: false
        }
    }
}
