/// The operator's own state of the event history: the filter being typed, the full-screen log view and
/// where it is scrolled, the pinned incidents list, and how many lines arrived above a scrolled view.
public struct EventsView: Hashable, Sendable {
    /// Lines added above the scrolled Events pane since it left its top (the "N new" marker).
    public var newCount = 0
    /// The text filter being typed after `/`; nil when the field is closed.
    public var typing: String?
    /// `l`: the whole history full-screen.
    public var logOpen = false
    /// The serial of the log view's top line; nil while it follows the newest line.
    public var logTop: UInt64?
    /// Lines added below the scrolled log view since it stopped following the newest.
    public var logNewCount = 0
    /// `P`: the pinned incidents list.
    public var pinnedOpen = false
    /// The pinned list asks whether to clear it.
    public var confirmingClear = false
    /// The terminal's rows, as the wiring last reported them (the log view pages by it).
    public var screenRows = 24

    public init() {}
}

extension ConsoleModel {
    /// The longest filter text the field takes.
    static let filterLimit = 40

    /// The rows of the log view's list at `height` terminal rows: the header, a banner when there is one,
    /// the key-hint line and the box's two borders left out.
    func logRows(height: Int) -> Int {
        let banner = !isConnected || SafetyState(self) != nil ? 1 : 0
        return max(1, height - 1 - banner - 1 - 2)
    }

    /// The log view's top line, newest-first index into the filtered history.
    func logTopIndex(rows: Int) -> Int {
        let events = shown.events
        let count = events.shownCount
        let follow = min(count, rows) - 1
        guard let serial = eventsView.logTop else { return max(0, follow) }
        let index = events.shownIndex(ofSerial: serial) ?? (count - 1)
        return max(follow, min(count - 1, index))
    }
}
