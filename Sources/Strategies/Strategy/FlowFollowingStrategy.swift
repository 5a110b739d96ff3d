import Foundation
import Primitives

/// The default strategy: follow large, aggressive call buying; leave on profit, loss, time or a strong put.
///
/// - Entry: a call alert with `total_premium` ≥ `MIN_FLOW_PREMIUM_USD` and an ask-side share of the premium
///   ≥ `MIN_ASK_SIDE_SHARE`, on a symbol in `SYMBOL_WATCHLIST` (empty = any), with no open position and the
///   market open → buy `ORDER_NOTIONAL_USD` worth (whole shares, at least one) as a limit order at the ask
///   plus `ENTRY_SLIPPAGE_PCT`.
/// - Exit: take profit at +`TAKE_PROFIT_PCT` of the entry (judged at the bid, sold with a limit at that bid so
///   it cannot fill at a loss), stop loss at −`STOP_LOSS_PCT` (at the market),
///   after `MAX_HOLD_MINUTES`, or on a put alert meeting the entry thresholds for a held symbol.
public struct FlowFollowingStrategy: Strategy {
    public struct Settings: Sendable, Hashable {
        public var minPremium: Decimal
        public var minAskSideShare: Decimal
        public var watchlist: Set<Symbol>
        public var orderNotional: Decimal
        public var entrySlippage: Decimal
        public var takeProfit: Decimal
        public var stopLoss: Decimal
        public var maxHold: Duration

        public init(
            minPremium: Decimal = 100_000, minAskSideShare: Decimal = Decimal(string: "0.6")!, watchlist: Set<Symbol> = [],
            orderNotional: Decimal = 400, entrySlippage: Decimal = Decimal(string: "0.001")!,
            takeProfit: Decimal = Decimal(string: "0.04")!, stopLoss: Decimal = Decimal(string: "0.02")!, maxHold: Duration = .seconds(120 * 60)
        ) {
            self.minPremium = minPremium
            self.minAskSideShare = minAskSideShare
            self.watchlist = watchlist
            self.orderNotional = orderNotional
            self.entrySlippage = entrySlippage
            self.takeProfit = takeProfit
            self.stopLoss = stopLoss
            self.maxHold = maxHold
        }
    }

    public let settings: Settings
    public var name: String { "flow-following" }

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Whether a signal is strong enough to act on (either direction).
    public func isStrong(_ signal: FlowSignal) -> Bool {
        guard signal.totalPremium >= settings.minPremium, let share = signal.askSideShare else { return false }
        return share >= settings.minAskSideShare
    }

    public func isActionable(_ signal: FlowSignal) -> Bool { isStrong(signal) }

    public func actions(for signal: FlowSignal, in context: StrategyContext) -> [StrategyAction] {
        guard isStrong(signal) else { return [] }
        let held = context.positions[signal.symbol]
        switch signal.kind {
        case .put:
            guard let held, held.quantity > 0 else { return [] }
            return [.exit(symbol: signal.symbol, reason: ActionReason("put flow \(signal.id): premium \(signal.totalPremium)", rule: .putSignal, alertID: signal.id))]
        case .call:
            guard held == nil, context.marketOpen else { return [] }
            guard settings.watchlist.isEmpty || settings.watchlist.contains(signal.symbol) else { return [] }
            guard let quote = context.quotes[signal.symbol], quote.ask > 0 else { return [] }
            let limit = Self.cents(quote.ask * (1 + settings.entrySlippage), roundingUp: true)
            var shares = settings.orderNotional / limit
            var whole = Decimal()
            NSDecimalRound(&whole, &shares, 0, .down)
            guard whole >= 1 else { return [] }
            return [.enter(symbol: signal.symbol, quantity: whole, limitPrice: limit, reason: ActionReason("call flow \(signal.id): premium \(signal.totalPremium)", alertID: signal.id))]
        }
    }

    public func reasonForNoEntry(_ signal: FlowSignal, in context: StrategyContext) -> String? {
        guard signal.kind == .call, isStrong(signal) else { return nil }
        if let held = context.positions[signal.symbol] { return "\(signal.symbol) is already held (\(held.quantity) \(held.quantity == 1 ? "share" : "shares"))" }
        guard context.marketOpen else { return "the market is closed" }
        guard settings.watchlist.isEmpty || settings.watchlist.contains(signal.symbol) else { return "\(signal.symbol) is not on SYMBOL_WATCHLIST" }
        guard let quote = context.quotes[signal.symbol], quote.ask > 0 else { return "no quote for \(signal.symbol)" }
        let limit = Self.cents(quote.ask * (1 + settings.entrySlippage), roundingUp: true)
        guard limit > settings.orderNotional else { return nil }
        return "one share of \(signal.symbol) at \(limit) costs more than ORDER_NOTIONAL_USD=\(settings.orderNotional)"
    }

    public func actions(onTickIn context: StrategyContext) -> [StrategyAction] {
        var actions: [StrategyAction] = []
        for position in context.positions.values.sorted(by: { $0.symbol < $1.symbol }) where position.quantity > 0 {
            if position.openedAt.duration(to: context.now) >= settings.maxHold {
                actions.append(.exit(symbol: position.symbol, reason: ActionReason("held longer than \(settings.maxHold.nanoseconds / 60_000_000_000) minutes", rule: .maxHold)))
                continue
            }
            guard let quote = context.quotes[position.symbol], quote.bid > 0, position.averageEntryPrice > 0 else { continue }
            let change = (quote.bid - position.averageEntryPrice) / position.averageEntryPrice
            if change >= settings.takeProfit {
                actions.append(.exitAtLimit(symbol: position.symbol, limitPrice: quote.bid, reason: ActionReason("take profit at \(quote.bid)", rule: .takeProfit)))
            } else if change <= -settings.stopLoss {
                actions.append(.exit(symbol: position.symbol, reason: ActionReason("stop loss at \(quote.bid)", rule: .stopLoss)))
            }
        }
        return actions
    }

    static func cents(_ value: Decimal, roundingUp: Bool) -> Decimal {
        var copy = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &copy, 2, roundingUp ? .up : .down)
        return rounded
    }
}
