/// The rule that closed (or is closing) a position, named in the journal, the events and the log.
public enum CloseRule: String, Hashable, Sendable, Codable, CaseIterable {
    case takeProfit = "take_profit"
    case stopLoss = "stop_loss"
    case maxHold = "max_hold"
    case putSignal = "put_signal"
    case flatten
    case `operator`

    /// Plain words for the operator: "take profit", "stop loss", …
    public var words: String {
        switch self {
        case .takeProfit: "take profit"
        case .stopLoss: "stop loss"
        case .maxHold: "max hold"
        case .putSignal: "put signal"
        case .flatten: "flatten"
        case .operator: "operator"
        }
    }
}
