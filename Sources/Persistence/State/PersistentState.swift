import Foundation
import Primitives
import TradingModel

/// Everything Bulwark must remember across a restart, as `state/trading_state.json` holds it: open
/// positions, realised PnL, the last trade time per symbol (so cooldowns survive), the trading state,
/// the order intents written before their orders were sent, and the last flow alert processed.
public struct PersistentState: Hashable, Sendable {
    /// Open positions by symbol; a position's quantity is never zero.
    public var positions: [Symbol: Position]
    public var realizedPnL: Decimal
    public var lastTradeAt: [Symbol: Timestamp]
    public var trading: TradingStateLedger
    /// Intents whose outcome is not known yet, oldest first, unique by client order id.
    public var pendingIntents: [OrderIntent]
    public var lastFlowAlertID: String?
    /// The flow alerts already acted on (or deliberately passed over), oldest first, unique by id and
    /// bounded (see `PersistentState+Signals`): an alert here is never acted on again.
    public var processedSignals: [ProcessedSignal]

    public init(
        positions: [Symbol: Position] = [:], realizedPnL: Decimal = 0, lastTradeAt: [Symbol: Timestamp] = [:],
        trading: TradingStateLedger, pendingIntents: [OrderIntent] = [], lastFlowAlertID: String? = nil,
        processedSignals: [ProcessedSignal] = []
    ) {
        self.processedSignals = processedSignals
        self.positions = positions
        self.realizedPnL = realizedPnL
        self.lastTradeAt = lastTradeAt
        self.trading = trading
        self.pendingIntents = pendingIntents
        self.lastFlowAlertID = lastFlowAlertID
    }

    /// Nothing held, nothing pending, trading ACTIVE since `time`.
    public static func empty(at time: Timestamp) -> PersistentState {
        PersistentState(trading: .active(since: time))
    }

    /// The trading state in force.
    public var tradingState: TradingState { trading.effective }

    /// Adds an intent, or replaces the one with the same client order id.
    public mutating func recordIntent(_ intent: OrderIntent) {
        if let index = pendingIntents.firstIndex(where: { $0.clientOrderID == intent.clientOrderID }) {
            pendingIntents[index] = intent
        } else {
            pendingIntents.append(intent)
        }
    }

    /// Removes the intent with `clientOrderID`; returns it if there was one.
    @discardableResult
    public mutating func removeIntent(clientOrderID: String) -> OrderIntent? {
        guard let index = pendingIntents.firstIndex(where: { $0.clientOrderID == clientOrderID }) else { return nil }
        return pendingIntents.remove(at: index)
    }

    /// The first rule the state breaks, or `nil` when it is valid. A state read from disk that breaks one
    /// is corrupt; the store never writes one.
    public func violation() -> String? {
        for (symbol, position) in positions.sorted(by: { $0.key < $1.key }) {
            if position.symbol != symbol { return "position under \(symbol) is for \(position.symbol)" }
            if position.quantity.isNaN || position.quantity.isZero { return "position \(symbol) has quantity \(position.quantity)" }
            if position.averageEntryPrice.isNaN || position.averageEntryPrice <= 0 {
                return "position \(symbol) has average entry price \(position.averageEntryPrice), which must be positive"
            }
        }
        if realizedPnL.isNaN { return "realized PnL is not a number" }
        var seen: Set<String> = []
        for intent in pendingIntents {
            if intent.clientOrderID.isEmpty || intent.clientOrderID.utf8.count > 128 {
                return "pending intent has client_order_id \"\(intent.clientOrderID)\" (1–128 characters required)"
            }
            if !seen.insert(intent.clientOrderID).inserted { return "pending intent \(intent.clientOrderID) appears twice" }
            if intent.quantity.isNaN || intent.quantity <= 0 {
                return "pending intent \(intent.clientOrderID) has quantity \(intent.quantity), which must be positive"
            }
            if let limit = intent.limitPrice, limit.isNaN || limit <= 0 {
                return "pending intent \(intent.clientOrderID) has limit price \(limit), which must be positive"
            }
        }
        if let problem = processedSignalsViolation() { return problem }
        var codes: Set<HaltCode> = []
        for hold in trading.holds where !codes.insert(hold.code).inserted {
            return "trading hold \(hold.code) appears twice"
        }
        return nil
    }
}
