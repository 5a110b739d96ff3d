/// How many colours the terminal can show, as the backend detects it (`COLORS`, `NO_COLOR`).
public enum ColorCapability: Hashable, Sendable, CustomStringConvertible {
    /// No colours (a mono terminal, or `NO_COLOR` set): attributes only.
    case none
    /// The 8 basic colours.
    case eight
    /// The xterm 256-colour palette.
    case twoFiftySix

    /// The capability for a terminal that reports `colors` colours (`COLORS` after `start_color`).
    public init(colors: Int) {
        if colors >= 256 {
            self = .twoFiftySix
        } else if colors >= 8 {
            self = .eight
        } else {
            self = .none
        }
    }

    public var description: String {
        switch self {
        case .none: "mono"
        case .eight: "8 colours"
        case .twoFiftySix: "256 colours"
        }
    }
}
