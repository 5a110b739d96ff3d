import Primitives

extension ConsoleUpdate {
    /// How long a brief notice (an unknown key, the theme's name) stays.
    static let briefNotice: Duration = .seconds(3)

    /// `t` switched the theme to `name` (nil: there was no other theme): the model says which.
    public static func update(_ model: ConsoleModel, theme name: String?) -> ConsoleModel {
        var model = model
        if let name {
            model.themeName = name
            model.notice = Notice("Theme: \(name) (t switches to the next)", severity: .info, expiresAt: briefExpiry(model))
        } else {
            model.notice = Notice("No other theme: still \(model.themeName)", severity: .info, expiresAt: briefExpiry(model))
        }
        return model
    }

    /// `w`: the whole reason trading is HALTED or REDUCING, who, since when and the way out.
    static func explainSafety(_ model: inout ConsoleModel) {
        guard let safety = SafetyState(model) else {
            model.notice = Notice("Trading is ACTIVE: no halt to explain.", severity: .info, expiresAt: briefExpiry(model))
            return
        }
        model.overlay = .details(title: "Why trading is \(safety.mode.rawValue)", lines: safety.detailLines)
    }

    /// `c`: folds or unfolds the Chaos pane (hidden anyway while chaos is locked).
    static func foldChaos(_ model: inout ConsoleModel) {
        if model.chaosLocked {
            model.notice = Notice(
                "Chaos is LOCKED: the broker is a live account, failure rehearsals are refused.", severity: .error)
            return
        }
        model.chaosExpanded.toggle()
        if !model.isFocusable(model.focus) { model.focus = .services }
        if model.chaosExpanded { model.focus = .chaos }
    }

    /// A key that does nothing: say where the keys are, briefly.
    static func hintHelp(_ model: inout ConsoleModel, key: String) {
        model.notice = Notice("\(key) does nothing here: ? for help", severity: .info, expiresAt: briefExpiry(model))
    }

    private static func briefExpiry(_ model: ConsoleModel) -> Timestamp? {
        model.live.clock?.advanced(by: briefNotice)
    }
}
