/// The key map, as the help overlay and the hint line show it.
enum KeyHelp {
    /// Which refusal greys a key out.
    enum Command {
        /// Always allowed.
        case none
        /// Halt: refused in read-only mode; while not connected it creates state/HALT.
        case halt
        /// Changes trading: refused in read-only mode, and cannot be sent while not connected.
        case trading
        /// A chaos switch: refused in read-only mode, when chaos is locked and while not connected.
        case chaos
    }

    struct Entry {
        var key: String
        var label: String
        var command: Command
    }

    /// The short hints of the bottom line, most important first (the line keeps what fits).
    static let hints: [Entry] = [
        Entry(key: "?", label: "help", command: .none),
        Entry(key: "q", label: "quit", command: .none),
        Entry(key: "h", label: "halt", command: .halt),
        Entry(key: "r", label: "resume", command: .trading),
        Entry(key: "x", label: "reduce", command: .trading),
        Entry(key: "F", label: "flatten", command: .trading),
        Entry(key: "1-8", label: "chaos", command: .chaos),
        Entry(key: "f", label: "freeze", command: .none),
        Entry(key: "Tab", label: "pane", command: .none),
        Entry(key: "Enter", label: "details", command: .none),
        Entry(key: "t", label: "theme", command: .none),
    ]

    /// Every key, for the help overlay.
    static func entries(for model: ConsoleModel) -> [Entry] {
        let quit = Entry(key: "q", label: model.isAttached ? "quit this console (Bulwark keeps running)" : "quit: detach or stop Bulwark (asks)", command: .none)
        let halt = Entry(key: "h", label: model.isConnected ? "HALT trading now (no confirmation)" : "HALT now: not connected, creates state/HALT", command: .halt)
        return [common[0], quit] + common[1..<5] + [halt] + common[5...]
    }

    private static let common: [Entry] = [
        Entry(key: "?", label: "this help (Esc closes)", command: .none),
        Entry(key: "Tab / S-Tab", label: "next / previous pane", command: .none),
        Entry(key: "Up Down j k", label: "move in the focused pane", command: .none),
        Entry(key: "g / G", label: "top / bottom of the pane", command: .none),
        Entry(key: "Enter", label: "details of the selected row", command: .none),
        Entry(key: "r", label: "resume (re-checks everything first)", command: .trading),
        Entry(key: "x", label: "reduce-only (asks to confirm)", command: .trading),
        Entry(key: "F", label: "flatten all (type flatten to confirm)", command: .trading),
        Entry(key: "C", label: "close the selected position (asks)", command: .trading),
        Entry(key: "1-8", label: "switch a chaos mode on / off", command: .chaos),
        Entry(key: "f", label: "freeze / unfreeze the display", command: .none),
        Entry(key: "t", label: "next theme", command: .none),
        Entry(key: "/ L", label: "filter events: by text / cycle the level", command: .none),
        Entry(key: "l P", label: "log view of all events / pinned incidents", command: .none),
        Entry(key: "Esc", label: "close a dialog or overlay", command: .none),
        Entry(key: "y / n", label: "in a dialog: confirm / cancel", command: .none),
    ]

    static func isDisabled(_ command: Command, model: ConsoleModel) -> Bool {
        switch command {
        case .none: false
        case .halt: model.readOnly
        case .trading: model.readOnly || !model.isConnected
        case .chaos: model.readOnly || model.chaosLocked || !model.isConnected
        }
    }
}
