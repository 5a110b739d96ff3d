import Primitives
import TradingModel

/// What is drawn centered on top of the panes. Only one at a time; `Esc` closes any of them.
public enum Overlay: Hashable, Sendable {
    /// Every key and what it does.
    case help
    /// The details of one row (a rejection's check, limit, actual and message; a service's last error).
    case details(title: String, lines: [String])
    /// A question the operator must answer before a command is sent.
    case dialog(Dialog)

    /// The dialog, when the overlay is one.
    public var dialog: Dialog? {
        if case .dialog(let dialog) = self { return dialog }
        return nil
    }
}

/// A confirmation dialog. Cancel has the focus when it opens, so `Enter` on a fresh dialog cancels;
/// `y` confirms, `n` and `Esc` cancel, Tab and the arrows move the focus between the buttons.
/// A dialog with a `requiredWord` (flatten all) is confirmed only by typing that word, then `Enter`.
/// A dialog with an `alternate` (quit: Detach or Stop) has three buttons, each with its own key.
public struct Dialog: Hashable, Sendable {
    public enum Button: Hashable, Sendable {
        case cancel, confirm, alternate
    }

    /// A second way to answer yes, with its own button and keys (drawn between Cancel and confirm).
    public struct Alternate: Hashable, Sendable {
        public var label: String
        public var effect: ConsoleEffect
        /// The keys that choose it.
        public var keys: Set<Character>
    }

    public var title: String
    /// What confirming will do, in words.
    public var lines: [String]
    /// The label of the confirming button ("Halt", "Resume", …).
    public var confirmLabel: String
    /// The effect confirming produces.
    public var effect: ConsoleEffect
    /// Drawn with `dialog.danger`.
    public var isDangerous: Bool
    /// The word the operator must type to confirm, if any.
    public var requiredWord: String?
    /// What the operator has typed so far (dialogs with a required word).
    public var typed: String
    public var focus: Button
    /// The keys that confirm (`y` unless the dialog says otherwise).
    public var confirmKeys: Set<Character>
    public var alternate: Alternate?

    public init(
        title: String, lines: [String], confirmLabel: String, effect: ConsoleEffect, isDangerous: Bool = false,
        requiredWord: String? = nil, confirmKeys: Set<Character> = ["y", "Y"], alternate: Alternate? = nil
    ) {
        self.confirmKeys = confirmKeys
        self.alternate = alternate
        self.title = title
        self.lines = lines
        self.confirmLabel = confirmLabel
        self.effect = effect
        self.isDangerous = isDangerous
        self.requiredWord = requiredWord
        self.typed = ""
        self.focus = .cancel
    }

    /// The buttons in the order they are drawn and Tab visits them: Cancel first.
    public var buttons: [Button] { alternate == nil ? [.cancel, .confirm] : [.cancel, .alternate, .confirm] }

    /// The button after (or before) the focused one, wrapping around.
    func nextFocus(forward: Bool) -> Button {
        let all = buttons
        let index = all.firstIndex(of: focus) ?? 0
        return all[(index + (forward ? 1 : all.count - 1)) % all.count]
    }

    /// The keys line under the buttons.
    var keysHint: String {
        guard let alternate else { return "y confirms, n or Esc cancels, Enter: focused button" }
        let alternateKey = alternate.keys.sorted().last.map(String.init) ?? "?"
        let confirmKey = confirmKeys.sorted().last.map(String.init) ?? "?"
        return "\(alternateKey): \(alternate.label), \(confirmKey): \(confirmLabel), Esc cancels"
    }

    /// Whether the typed word matches (always true for a plain yes/no dialog).
    public var wordMatches: Bool {
        guard let requiredWord else { return true }
        return typed == requiredWord
    }
}

extension Dialog {
    static func quit() -> Dialog {
        Dialog(
            title: "Quit the console?",
            lines: [
                "Detach: the console closes and Bulwark keeps trading without it;",
                "bulwark attach shows it again.",
                "Stop Bulwark: services stop gracefully and the state is saved;",
                "open positions stay open at the broker.",
            ],
            confirmLabel: "Stop Bulwark", effect: .stop, isDangerous: true, confirmKeys: ["s", "S"],
            alternate: Alternate(label: "Detach (keep trading)", effect: .detach, keys: ["d", "D"]))
    }

    static func resume() -> Dialog {
        Dialog(
            title: "Resume trading?",
            lines: [
                "Resume re-checks every reason trading stopped:",
                "- credentials and the API contract,",
                "- reconciliation with the broker,",
                "- the kill switch file (state/HALT),",
                "- that the state file can be written.",
                "Trading resumes only if all of them pass.",
            ],
            confirmLabel: "Resume", effect: .send(.resume))
    }

    static func reduceOnly() -> Dialog {
        Dialog(
            title: "Switch to reduce-only?",
            lines: ["Only orders that shrink a position will be sent.", "New entries are refused until you resume."],
            confirmLabel: "Reduce-only", effect: .send(.reduceOnly))
    }

    static func flattenAll(positions: Int) -> Dialog {
        Dialog(
            title: "Flatten ALL positions?",
            lines: [
                "Every open position (\(positions)) is closed with market exits.",
                "Trading then stays REDUCING (no new entries) until you resume.",
                "Type flatten and press Enter to confirm.",
                "Anything else, or Esc, cancels.",
            ],
            confirmLabel: "Flatten", effect: .send(.flattenAll), isDangerous: true, requiredWord: "flatten")
    }

    static func chaosOn(_ mode: ChaosMode, number: Int) -> Dialog {
        Dialog(
            title: "Switch chaos \(number) ON?",
            lines: ["\(mode.rawValue): \(mode.rehearsal)", "Press \(number) again later to switch it off."],
            confirmLabel: "Switch on", effect: .send(.chaos(mode, on: true)), isDangerous: true)
    }
}

extension ChaosMode {
    /// What switching this mode on rehearses, in a few words.
    public var rehearsal: String {
        switch self {
        case .alpacaDown: "the broker API stops answering"
        case .invalidCreds: "the broker refuses the credentials"
        case .supervisorCrash: "the supervisor is torn down, restarted from disk"
        case .stateCorrupt: "the state file is corrupted"
        case .uwDown: "the flow API stops answering"
        case .rateLimit: "the broker rate-limits every call"
        case .latency: "every API call is slow"
        case .schemaDrift: "API responses break their contract"
        case .fdExhaustion: "every free file descriptor is taken for a while"
        case .streamDrop: "both streams are cut off; orders are followed and quotes read over REST"
        }
    }
}
