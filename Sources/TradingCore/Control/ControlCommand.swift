/// What the operator can ask of the core, from the console (or a test). The core answers every command
/// with a `.commandResult` event on the bus; the console never waits for it.
public enum ControlCommand: Hashable, Sendable, CustomStringConvertible {
    /// Halt trading now (always allowed: the safe direction).
    case halt
    /// Resume: re-checks every system halt first (credentials, API contract, reconciliation, kill switch).
    case resume
    /// Only orders that shrink a position.
    case reduceOnly
    /// Close every position through the guard, as exits.
    case flattenAll
    /// Switch a chaos mode on or off (refused against a live account).
    case chaos(ChaosMode, on: Bool)
    /// Stop gracefully: services stopped, state saved.
    case quit

    /// Commands that change anything; refused in read-only mode (quit is not one of them).
    public var changesTrading: Bool {
        if case .quit = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .halt: "halt"
        case .resume: "resume"
        case .reduceOnly: "reduce-only"
        case .flattenAll: "flatten all"
        case .chaos(let mode, let on): "chaos \(mode.rawValue) \(on ? "on" : "off")"
        case .quit: "quit"
        }
    }
}

/// The core's answer to one command.
public struct CommandResult: Hashable, Sendable {
    public var command: ControlCommand
    public var accepted: Bool
    /// What happened, or why it was refused, in words for the operator.
    public var message: String

    public init(command: ControlCommand, accepted: Bool, message: String) {
        self.command = command
        self.accepted = accepted
        self.message = message
    }
}
