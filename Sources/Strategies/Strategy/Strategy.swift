import Foundation
import Primitives

/// What a strategy wants done. The executor turns each into an intent, passes it through the guard and
/// sends it; the strategy never talks to the broker.
public enum StrategyAction: Hashable, Sendable {
    /// Buy about `notional` worth of `symbol` with a limit at `limitPrice`.
    case enter(symbol: Symbol, quantity: Decimal, limitPrice: Decimal, reason: ActionReason)
    /// Close the whole position in `symbol` at the market.
    case exit(symbol: Symbol, reason: ActionReason)
    /// Close the whole position in `symbol` with a limit: at no worse than `limitPrice` (a take-profit
    /// must not turn into a loss on its way to the broker).
    case exitAtLimit(symbol: Symbol, limitPrice: Decimal, reason: ActionReason)
}

/// What a strategy may look at.
public struct StrategyContext: Sendable {
    public var positions: [Symbol: Position]
    public var quotes: [Symbol: Quote]
    public var marketOpen: Bool
    public var now: Timestamp

    public init(positions: [Symbol: Position], quotes: [Symbol: Quote], marketOpen: Bool, now: Timestamp) {
        self.positions = positions
        self.quotes = quotes
        self.marketOpen = marketOpen
        self.now = now
    }
}

/// A trading strategy: pure functions from signals and context to actions. Others can be plugged in.
public protocol Strategy: Sendable {
    var name: String { get }
    /// Actions for one new flow signal.
    func actions(for signal: FlowSignal, in context: StrategyContext) -> [StrategyAction]
    /// Actions on a periodic tick (exits by price or time).
    func actions(onTickIn context: StrategyContext) -> [StrategyAction]
    /// Whether the strategy would act on `signal` at all (a signal it ignores cancels no other).
    func isActionable(_ signal: FlowSignal) -> Bool
    /// Why an actionable entry signal causes no action in `context`, in the operator's words ("one share of
    /// SPY at 560.12 costs more than ORDER_NOTIONAL_USD=400"); nil when it causes one, or when there is
    /// nothing worth saying. The engine logs it, so no strong signal is dropped in silence.
    func reasonForNoEntry(_ signal: FlowSignal, in context: StrategyContext) -> String?
}

extension Strategy {
    public func isActionable(_ signal: FlowSignal) -> Bool { true }
    public func reasonForNoEntry(_ signal: FlowSignal, in context: StrategyContext) -> String? { nil }
}
