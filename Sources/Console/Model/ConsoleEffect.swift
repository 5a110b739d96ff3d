import Primitives
import TradingModel

/// What the console asks the outside world to do after a key press. The model never performs anything
/// itself: the wiring sends commands to the core, stops the program or switches the theme.
public enum ConsoleEffect: Hashable, Sendable, CustomStringConvertible {
    /// Send this command to the core (its answer comes back as a `.commandResult` event).
    case send(ControlCommand)
    /// The operator chose to stop Bulwark: stop gracefully.
    case stop
    /// The operator chose to leave the console: the terminal is released and Bulwark keeps running
    /// (`bulwark attach` just ends).
    case detach
    /// Not connected: halt through the kill-switch file, creating `state/HALT` (0600, folder synced).
    /// The wiring reports the outcome with `ConsoleUpdate.update(_:haltFile:)`.
    case createHaltFile
    /// Switch to the next theme; the wiring sets `ConsoleModel.themeName` once it has.
    case nextTheme

    public var description: String {
        switch self {
        case .send(let command): "send(\(command))"
        case .stop: "stop"
        case .detach: "detach"
        case .createHaltFile: "createHaltFile"
        case .nextTheme: "nextTheme"
        }
    }
}

/// The panes of the console, in the order Tab visits them.
public enum Pane: String, Hashable, Sendable, CaseIterable {
    case services
    case positions
    case rejections
    /// Open orders: a pane of its own on tall terminals only (`ConsoleModel.isTall`); Tab skips it elsewhere.
    case orders
    case chaos
    case events

    /// The title drawn on the pane's border.
    public var title: String {
        switch self {
        case .services: "Services"
        case .positions: "Positions"
        case .rejections: "Guard rejections"
        case .orders: "Open orders"
        case .chaos: "Chaos"
        case .events: "Events"
        }
    }

    /// The pane after this one (Tab), wrapping around.
    public var next: Pane {
        let all = Pane.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// The pane before this one (Shift-Tab), wrapping around.
    public var previous: Pane {
        let all = Pane.allCases
        return all[(all.firstIndex(of: self)! + all.count - 1) % all.count]
    }
}

/// Which broker the console is attached to, as the header shows it.
public enum BrokerLabel: String, Hashable, Sendable, CaseIterable {
    /// The embedded paper exchange.
    case sim = "SIM"
    /// Alpaca's paper endpoint (or another paper-compatible exchange).
    case paper = "PAPER"
    /// Real money: chaos is locked.
    case live = "LIVE"
    /// Not known yet: an attached console before its first snapshot.
    case unknown = "?"
}

/// A short message for the operator that replaces the key hints until the next key press: why a
/// command was refused, or that chaos is locked.
public struct Notice: Hashable, Sendable {
    public enum Severity: Hashable, Sendable {
        case info, warning, error
    }

    public var text: String
    public var severity: Severity
    /// A brief notice goes away at this time (with the next tick), as well as at the next key.
    public var expiresAt: Timestamp?

    public init(_ text: String, severity: Severity = .warning, expiresAt: Timestamp? = nil) {
        self.text = text
        self.severity = severity
        self.expiresAt = expiresAt
    }
}
