import Primitives
/// One thing that happened, as the bus delivers it: a sequence number (gap-free across the bus, so a
/// subscriber can see what it lost), a timestamp from the injected clock, and what happened.
public struct Event: Hashable, Sendable, Codable {
    public let sequence: UInt64
    public let timestamp: Timestamp
    public let kind: EventKind

    public init(sequence: UInt64, timestamp: Timestamp, kind: EventKind) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.kind = kind
    }
}

/// The catalog of events every part of Bulwark publishes and the console (or any observer) reads.
public enum EventKind: Hashable, Sendable, Codable {
    case serviceStatus(ServiceHealth)
    case overallHealth(OverallHealth)
    case tradingState(TradingState)
    case orderIntent(OrderIntent)
    case orderSubmitted(OrderSubmission)
    case orderFilled(OrderFill)
    case orderRejected(OrderRejection)
    case guardRejected(GuardRejection)
    case positionOpened(Position)
    case positionChanged(Position)
    case positionClosed(PositionClose)
    case account(AccountSnapshot)
    case chaosMode(ChaosMode, enabled: Bool)
    case stateHealed(StateHealing)
    case reconciliation(ReconciliationReport)
    case apiError(APIFailure)
    case apiRecovered(APIRecovery)
    case log(LogLine)
    case startup(StartupProgress)
    /// The latest quotes for the symbols held, published by the engine when they change.
    case quotes([Quote])
    /// The answer to an operator's command (accepted or refused, and why).
    case commandResult(CommandResult)
    /// Whether Bulwark is alive (money, ages, API latency, open orders), about once a second.
    case vitals(VitalSigns)

    /// A short stable name, used in logs, metrics and tests.
    public var name: String {
        switch self {
        case .serviceStatus: "service_status"
        case .overallHealth: "overall_health"
        case .tradingState: "trading_state"
        case .orderIntent: "order_intent"
        case .orderSubmitted: "order_submitted"
        case .orderFilled: "order_filled"
        case .orderRejected: "order_rejected"
        case .guardRejected: "guard_rejected"
        case .positionOpened: "position_opened"
        case .positionChanged: "position_changed"
        case .positionClosed: "position_closed"
        case .account: "account"
        case .chaosMode: "chaos_mode"
        case .stateHealed: "state_healed"
        case .reconciliation: "reconciliation"
        case .apiError: "api_error"
        case .apiRecovered: "api_recovered"
        case .log: "log"
        case .startup: "startup"
        case .quotes: "quotes"
        case .commandResult: "command_result"
        case .vitals: "vitals"
        }
    }
}
