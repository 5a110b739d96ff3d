import TradingModel

/// What a `ControlClient` receives from the server after the hello.
public enum ControlMessage: Hashable, Sendable {
    /// Everything the console shows; the events that follow continue at `sequence + 1`. Sent first, and
    /// again whenever the client fell behind (its queued events were discarded instead of leaving a gap).
    case snapshot(ControlSnapshot)
    case event(Event)
    /// The answer to a command this client sent.
    case result(CommandResult)
    /// The server's last word before it closed the connection.
    case error(String)
}
