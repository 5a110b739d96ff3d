import TradingModel

/// One connection to a Bulwark instance, as the console uses it: the wiring makes it from a
/// `ControlClient` (the control socket), tests from a script.
public struct ConsoleConnection: Sendable {
    /// The snapshot, then the events, in order; it ends when the connection drops. It may end with
    /// `.connection(.disconnected(reason))` to say why.
    public var inputs: AsyncStream<ConsoleInput>
    /// Sends a command and returns its result (a refusal, in words, when it could not be sent).
    public var send: @Sendable (ControlCommand) async -> CommandResult
    /// Closes the connection (the instance keeps running).
    public var close: @Sendable () -> Void

    public init(
        inputs: AsyncStream<ConsoleInput>, send: @escaping @Sendable (ControlCommand) async -> CommandResult,
        close: @escaping @Sendable () -> Void
    ) {
        self.inputs = inputs
        self.send = send
        self.close = close
    }

    /// What came of one attempt to connect.
    public enum Attempt: Sendable {
        case connected(ConsoleConnection)
        /// Why not, in words ("no Bulwark is running with state/").
        case failed(String)
    }
}
