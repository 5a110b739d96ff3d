import TradingModel
import Primitives

extension StateStore: IntentLedger {
    public var isWriteFailing: Bool { writeFailure != nil }

    public func holdsPendingIntent(_ clientOrderID: String) -> Bool {
        state.pendingIntents.contains { $0.clientOrderID == clientOrderID }
    }
}
