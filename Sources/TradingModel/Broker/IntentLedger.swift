/// What sending an order needs of the state store: to know that its intent is durably saved. The order
/// submitter sees only this, so it cannot touch the rest of the state.
public protocol IntentLedger: Sendable {
    /// True while the state file cannot be written: nothing saved now is durable.
    var isWriteFailing: Bool { get }
    /// True when an intent with this client order id is among the saved pending intents.
    func holdsPendingIntent(_ clientOrderID: String) -> Bool
}
