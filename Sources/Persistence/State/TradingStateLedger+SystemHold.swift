import Primitives
import TradingModel

extension TradingStateLedger {
    /// The hold of the system's own (not the operator's, nor the kill switch any shell can place) whose
    /// state is in force, if any: health is never OK while one holds trading.
    public var systemHold: TradingHold? {
        let effective = self.effective
        return holds.last { $0.actor == .system && $0.state == effective }
    }
}

extension HaltCode {
    /// The failure reason of the same name (FAILED_STATE, FAILED_JOURNAL, …); nil for KILL_SWITCH and STARTING.
    public var failureReason: FailureReason? { FailureReason(rawValue: rawValue) }
}
