import Primitives

/// Where the trading stream's connection reports what it hears: the engine's `OrderUpdates` in
/// production. The stream's client knows only this, not the engine.
public protocol OrderUpdateSink: Sendable {
    /// Connected, authenticated and listening: every order change from now on is pushed.
    func streamListening()
    /// The connection is gone (dropped, refused, silent, or not yet made), in the operator's words.
    func streamDown(reason: String)
    /// An order as the stream reported it, after a change.
    func received(_ order: BrokerOrder)
}
