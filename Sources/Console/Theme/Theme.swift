/// Turns the meaning of a cell (its role, such as `health.failed`) into colours and attributes.
/// Built from a theme file over the built-in default, so every role always has a style.
public struct Theme: Hashable, Sendable {
    /// Every key a theme file may set: the roles the console's view uses.
    public static let roles: [String] = [
        "text", "dim", "header", "header.live", "title", "border", "border.focus", "selection",
        "health.ok", "health.degraded", "health.failed", "trading.active", "trading.reducing", "banner.halted",
        "pnl.up", "pnl.down", "guard.reject", "chaos.on", "chaos.off", "chaos.locked",
        "dialog", "dialog.danger", "button", "button.focus", "hint", "hint.disabled", "badge",
        "event.warning", "event.error",
    ]

    public let name: String
    /// One style per role in `roles`.
    public let styles: [String: ThemeStyle]

    /// A theme named `name` with `styles` over `base` (the built-in default unless given): roles the
    /// styles leave out come from the base; keys that are not roles are dropped.
    public init(name: String, styles: [String: ThemeStyle], base: Theme? = nil) {
        self.name = name
        var merged = base?.styles ?? Theme.builtInDefault.styles
        for (key, style) in styles where Theme.roles.contains(key) { merged[key] = style }
        self.styles = merged
    }

    private init(builtIn name: String, styles: [String: ThemeStyle]) {
        self.name = name
        self.styles = styles
    }

    /// True when some role has a colour (false for `mono`).
    public var usesColor: Bool { styles.values.contains(where: \.usesColor) }

    /// The style of `role` on a terminal with `capability`; an unknown or missing role gets `text`'s.
    public func resolve(_ role: String?, for capability: ColorCapability) -> ResolvedStyle {
        let style = role.flatMap { styles[$0] } ?? styles["text"] ?? ThemeStyle()
        return ResolvedStyle(
            foreground: style.foreground.terminalColor(for: capability),
            background: style.background.terminalColor(for: capability),
            attributes: style.attributes)
    }

    /// How a cell is painted: its role's style, with the cell's own attributes added (they carry the
    /// meaning without colour). A `reverse` the cell asks for is left out where the theme already gives the
    /// role a background colour: the colour marks it, and reversing would paint the theme's colours
    /// inverted (a white-on-blue header as blue on white).
    public func paint(_ style: CellStyle, for capability: ColorCapability) -> ResolvedStyle {
        var look = resolve(style.role, for: capability)
        var added = style.attributes
        if look.background != ResolvedStyle.defaultColor { added.remove(.reverse) }
        look.attributes = look.attributes.union(added)
        return look
    }

    /// The theme compiled in, identical to `themes/default.theme`.
    public static let builtInDefault = Theme(builtIn: "default", styles: parseBuiltIn(defaultSource))

    /// The colourless theme compiled in, identical to `themes/mono.theme`: used for `NO_COLOR` and for
    /// terminals without colours.
    public static let builtInMono = Theme(builtIn: "mono", styles: builtInDefault.styles.merging(parseBuiltIn(monoSource)) { $1 })

    private static func parseBuiltIn(_ source: String) -> [String: ThemeStyle] {
        let result = ThemeParser.parse(source)
        precondition(result.diagnostics.isEmpty, "a built-in theme has problems: \(result.diagnostics)")
        return result.styles
    }
}
