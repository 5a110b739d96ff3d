/// The meanings a theme gives colours to. Every cell the console draws carries one of these as its
/// `CellStyle.role`; a theme file maps each name to colours, and the mono theme ignores them (the view
/// also sets attributes, so nothing is shown by colour alone).
public enum ThemeRole {
    /// The header line.
    public static let header = "header"
    /// The broker label in the header when the account is live.
    public static let headerLive = "header.live"
    public static let healthOK = "health.ok"
    public static let healthDegraded = "health.degraded"
    public static let healthFailed = "health.failed"
    public static let tradingActive = "trading.active"
    public static let tradingReducing = "trading.reducing"
    /// The HALTED state and the banner that says trading is halted.
    public static let bannerHalted = "banner.halted"
    public static let pnlUp = "pnl.up"
    public static let pnlDown = "pnl.down"
    public static let guardReject = "guard.reject"
    public static let chaosOn = "chaos.on"
    public static let chaosOff = "chaos.off"
    public static let chaosLocked = "chaos.locked"
    public static let border = "border"
    /// The border of the pane that has the keyboard focus.
    public static let borderFocus = "border.focus"
    /// Pane titles and column headings.
    public static let title = "title"
    /// The selected row of the focused pane.
    public static let selection = "selection"
    public static let dialog = "dialog"
    /// A dialog whose action is dangerous (flatten, chaos, quit).
    public static let dialogDanger = "dialog.danger"
    public static let button = "button"
    public static let buttonFocus = "button.focus"
    public static let hint = "hint"
    /// A key hint for a command that is refused (read-only mode, chaos locked).
    public static let hintDisabled = "hint.disabled"
    /// READ-ONLY, FROZEN and lost-events badges.
    public static let badge = "badge"
    public static let eventWarning = "event.warning"
    public static let eventError = "event.error"
    public static let text = "text"
    public static let dim = "dim"

    /// Every role, in a stable order: what a theme file may (and should) define.
    public static let all: [String] = [
        header, headerLive, healthOK, healthDegraded, healthFailed, tradingActive, tradingReducing,
        bannerHalted, pnlUp, pnlDown, guardReject, chaosOn, chaosOff, chaosLocked, border, borderFocus,
        title, selection, dialog, dialogDanger, button, buttonFocus, hint, hintDisabled, badge,
        eventWarning, eventError, text, dim,
    ]
}

/// The styles the view draws with: a role plus the attributes that carry it in mono.
enum Style {
    static let header = CellStyle(role: ThemeRole.header, attributes: .reverse)
    static let headerBold = CellStyle(role: ThemeRole.header, attributes: [.reverse, .bold])
    static let headerLive = CellStyle(role: ThemeRole.headerLive, attributes: [.bold, .underline])
    static let healthOK = CellStyle(role: ThemeRole.healthOK)
    static let healthDegraded = CellStyle(role: ThemeRole.healthDegraded, attributes: .bold)
    static let healthFailed = CellStyle(role: ThemeRole.healthFailed, attributes: [.bold, .reverse])
    static let tradingActive = CellStyle(role: ThemeRole.tradingActive, attributes: .bold)
    static let tradingReducing = CellStyle(role: ThemeRole.tradingReducing, attributes: [.bold, .underline])
    static let halted = CellStyle(role: ThemeRole.bannerHalted, attributes: [.bold, .reverse])
    /// The REDUCING banner: the reducing colour reversed into a bar.
    static let reducingBanner = CellStyle(role: ThemeRole.tradingReducing, attributes: [.bold, .reverse, .underline])
    static let pnlUp = CellStyle(role: ThemeRole.pnlUp)
    static let pnlDown = CellStyle(role: ThemeRole.pnlDown, attributes: .bold)
    static let guardReject = CellStyle(role: ThemeRole.guardReject)
    static let chaosOn = CellStyle(role: ThemeRole.chaosOn, attributes: [.bold, .reverse])
    static let chaosOff = CellStyle(role: ThemeRole.chaosOff)
    static let chaosLocked = CellStyle(role: ThemeRole.chaosLocked, attributes: [.bold, .dim])
    static let border = CellStyle(role: ThemeRole.border)
    static let borderFocus = CellStyle(role: ThemeRole.borderFocus, attributes: .bold)
    static let title = CellStyle(role: ThemeRole.title, attributes: .bold)
    static let selection = CellStyle(role: ThemeRole.selection, attributes: .reverse)
    static let dialog = CellStyle(role: ThemeRole.dialog)
    static let dialogDanger = CellStyle(role: ThemeRole.dialogDanger, attributes: .bold)
    static let button = CellStyle(role: ThemeRole.button)
    static let buttonFocus = CellStyle(role: ThemeRole.buttonFocus, attributes: [.reverse, .bold])
    static let hint = CellStyle(role: ThemeRole.hint)
    static let hintDisabled = CellStyle(role: ThemeRole.hintDisabled, attributes: .dim)
    static let badge = CellStyle(role: ThemeRole.badge, attributes: [.reverse, .bold])
    static let eventWarning = CellStyle(role: ThemeRole.eventWarning, attributes: .bold)
    static let eventError = CellStyle(role: ThemeRole.eventError, attributes: [.bold, .underline])
    static let text = CellStyle(role: ThemeRole.text)
    static let dim = CellStyle(role: ThemeRole.dim, attributes: .dim)
}
