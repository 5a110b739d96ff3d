import Primitives
import Strategies
import TradingModel

/// An order sent and not yet ended, as it is followed: its intent, the broker's latest word on it, and
/// when it is canceled if it still rests.
public struct InFlightOrder: Sendable {
    public var intent: OrderIntent
    public var order: BrokerOrder
    /// Past this instant the order is canceled; past it by `followTimeout` again it is given up.
    public var deadline: Timestamp
    /// The cancel was asked for (once).
    public var canceled = false
    /// Questions about it that failed in a row.
    public var failures = 0

    public var symbol: Symbol { intent.symbol }

    public init(intent: OrderIntent, order: BrokerOrder, deadline: Timestamp) {
        self.intent = intent
        self.order = order
        self.deadline = deadline
    }
}

extension OrderExecutor {
    /// What `send` did: carried the action to its outcome, or sent an order that is still open.
    public enum Sending: Sendable {
        case done(Outcome)
        case inFlight(InFlightOrder)
    }
}

extension StrategyAction {
    /// The symbol the action trades.
    var symbol: Symbol {
        switch self {
        case .enter(let symbol, _, _, _), .exit(let symbol, _), .exitAtLimit(let symbol, _, _): symbol
        }
    }
}
