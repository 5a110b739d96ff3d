import TradingModel

/// Everything that reaches the console from a Bulwark instance, in one stream: what the control socket
/// sends (a snapshot, then events) and the state of the connection itself. The in-process console and an
/// attached one are fed the same way.
public enum ConsoleInput: Hashable, Sendable {
    /// Everything the instance shows, at one moment: replaces the console's live data.
    case snapshot(ControlSnapshot)
    /// One event after the snapshot, folded into the live data.
    case event(Event)
    /// The connection came up, or dropped (then the data shown is as of that moment).
    case connection(ConnectionStatus)
}

/// Whether the console is connected to its Bulwark instance.
public enum ConnectionStatus: Hashable, Sendable {
    /// The first attempt, before anything is known.
    case connecting
    /// Connected: the data shown is live.
    case connected
    /// Not connected (the instance stopped, the socket dropped, or none is running), and why, in words.
    /// The console keeps trying.
    case disconnected(String)
}

/// What came of creating `state/HALT` from a console that cannot reach its instance.
public enum HaltFileOutcome: Hashable, Sendable {
    /// The file exists now (created, or already there): trading is halted by it.
    case created(path: String)
    /// It could not be created; why, in words.
    case failed(String)
}
