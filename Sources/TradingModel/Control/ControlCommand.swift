import Primitives
/// What the operator can ask of the core, from a console (in-process or attached), `bulwark ctl` or a
/// test. Every command enters the core's one ordered queue and gets exactly one `CommandResult`, also
/// published as a `.commandResult` event; a console never waits for it.
///
/// On the wire (the control socket) a command is `{"name":"halt"}`, `{"name":"reduce_only"}`, …, or
/// `{"name":"chaos","mode":"latency","on":true}`, or `{"name":"close","symbol":"AMZN"}`.
public enum ControlCommand: Hashable, Sendable, CustomStringConvertible {
    /// Halt trading now (always allowed: the safe direction; it pre-empts any command in flight).
    case halt
    /// Resume: re-checks every system halt first (credentials, API contract, reconciliation, kill switch).
    case resume
    /// Only orders that shrink a position.
    case reduceOnly
    /// Close every position through the guard, as exits.
    case flattenAll
    /// Close one position, as an exit through the guard whose rule is `operator` (refused when there is
    /// no such position).
    case closePosition(Symbol)
    /// Switch a chaos mode on or off (refused against a live account).
    case chaos(ChaosMode, on: Bool)
    /// Stop gracefully: services stopped, state saved (the in-process console only).
    case quit

    /// Commands that change anything; refused in read-only mode (quit is not one of them).
    public var changesTrading: Bool {
        if case .quit = self { return false }
        return true
    }

    /// Commands whose effect a later halt cancels if it has not yet taken effect: everything that could
    /// leave HALTED or send an order.
    public var isSupersededByHalt: Bool {
        switch self {
        case .resume, .reduceOnly, .flattenAll, .closePosition: true
        case .halt, .chaos, .quit: false
        }
    }

    /// The name on the wire and in `bulwark ctl`.
    public var name: String {
        switch self {
        case .halt: "halt"
        case .resume: "resume"
        case .reduceOnly: "reduce_only"
        case .flattenAll: "flatten"
        case .closePosition: "close"
        case .chaos: "chaos"
        case .quit: "quit"
        }
    }

    public var description: String {
        switch self {
        case .halt: "halt"
        case .resume: "resume"
        case .reduceOnly: "reduce-only"
        case .flattenAll: "flatten all"
        case .closePosition(let symbol): "close \(symbol)"
        case .chaos(let mode, let on): "chaos \(mode.rawValue) \(on ? "on" : "off")"
        case .quit: "quit"
        }
    }
}

extension ControlCommand: Codable {
    private enum CodingKeys: String, CodingKey {
        case name, mode, on, symbol
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .name)
        switch name {
        case "halt": self = .halt
        case "resume": self = .resume
        case "reduce_only": self = .reduceOnly
        case "flatten": self = .flattenAll
        case "quit": self = .quit
        case "close": self = .closePosition(try container.decode(Symbol.self, forKey: .symbol))
        case "chaos":
            let mode = try container.decode(ChaosMode.self, forKey: .mode)
            self = .chaos(mode, on: try container.decode(Bool.self, forKey: .on))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .name, in: container,
                debugDescription: "unknown command \"\(name.prefix(64))\" (halt, resume, reduce_only, flatten, close, chaos, quit)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        if case .chaos(let mode, let on) = self {
            try container.encode(mode, forKey: .mode)
            try container.encode(on, forKey: .on)
        }
        if case .closePosition(let symbol) = self { try container.encode(symbol, forKey: .symbol) }
    }
}

/// Who sent a command: the kind of client and what identifies it (a terminal, a peer's uid and pid).
public struct CommandActor: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// The console of `bulwark run`, in the same process.
        case console
        /// `bulwark attach`.
        case attach
        /// `bulwark ctl`.
        case ctl
        /// Bulwark itself (a hang-up policy, the kill switch).
        case system
        /// A test.
        case test
    }

    public var kind: Kind
    /// "tty /dev/pts/3", "uid 1000 pid 4242", or empty.
    public var detail: String

    public init(kind: Kind, detail: String = "") {
        self.kind = kind
        self.detail = detail
    }

    public static let console = CommandActor(kind: .console)
    public static let system = CommandActor(kind: .system)
    public static let test = CommandActor(kind: .test)

    public var description: String { detail.isEmpty ? kind.rawValue : "\(kind.rawValue) (\(detail))" }
}

/// The core's answer to one command.
public struct CommandResult: Hashable, Sendable, Codable {
    /// Given by the core on arrival, increasing in arrival order; 0 for an answer given before arrival
    /// (a read-only client's command refused by the console itself).
    public var id: UInt64
    public var command: ControlCommand
    public var actor: CommandActor
    public var accepted: Bool
    /// What happened, or why it was refused, in words for the operator.
    public var message: String
    /// A refusal's stable code (`command.superseded`, `state.write_failed`; see the README's Errors); nil
    /// when accepted.
    public var code: String?

    public init(
        id: UInt64 = 0, command: ControlCommand, actor: CommandActor = .console, accepted: Bool, message: String, code: String? = nil
    ) {
        self.id = id
        self.command = command
        self.actor = actor
        self.accepted = accepted
        self.message = message
        self.code = code
    }
}

extension CommandActor {
    /// Who the trading state records: the system for Bulwark's own commands, otherwise the operator.
    public var tradingActor: TradingState.Actor { kind == .system ? .system : .operator }
}
