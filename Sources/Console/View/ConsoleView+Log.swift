/// The event history's views: one event line, the Events pane's title, the full-screen log view (`l`),
/// the pinned incidents (`P`) and the filter field (`/`).
extension ConsoleView {
    /// `12:03:01 WARN  text ×105 (last 12:03:05)`: the count of a merged line is kept when the text is cut.
    static func drawEventLine(_ event: ConsoleModel.EventLine, row: Int, in inner: Rect, glyphs: Glyphs, into frame: inout Frame) {
        var writer = RowWriter(row: row, in: inner, ellipsis: glyphs.ellipsis)
        writer.left(event.timeText, width: 8, style: Style.dim, into: &frame)
        let style: CellStyle
        switch event.level {
        case .info:
            style = Style.text
        case .warning:
            style = Style.eventWarning
            writer.left("WARN", width: 5, style: style, into: &frame)
        case .error:
            style = Style.eventError
            writer.left("ERROR", width: 5, style: style, into: &frame)
        }
        let suffix = event.repeatSuffix(times: glyphs.times)
        guard !suffix.isEmpty else {
            writer.left(event.text, style: style, into: &frame)
            return
        }
        let room = writer.remaining
        let textWidth = min(event.text.count, max(room / 2, room - suffix.count))
        let x = frame.text(event.text, row: row, column: writer.x, width: textWidth, style: style, ellipsis: glyphs.ellipsis)
        frame.text(suffix, row: row, column: x, width: inner.right - x, style: Style.dim, ellipsis: glyphs.ellipsis)
    }

    /// `Events /api/ WARN+ [3 pinned, P] [12 new, g: top]`.
    static func eventsTitle(_ context: PaneContext) -> String {
        var title = Pane.events.title + context.data.events.filter.titleSuffix
        let pinned = context.model.live.pinned.count
        if pinned > 0 { title += " [\(pinned) pinned, P]" }
        let new = context.model.eventsView.newCount
        if new > 0 { title += " [\(new) new, g: top]" }
        return title
    }

    /// The whole history, oldest at the top, between the header (and banner) and the key-hint line.
    static func drawLogView(_ model: ConsoleModel, top: Int, into frame: inout Frame, glyphs: Glyphs) {
        let rect = Rect(row: top, column: 0, width: frame.width, height: frame.height - 1 - top)
        guard rect.height >= 3 else { return }
        let events = model.shown.events
        let count = events.shownCount
        let rows = model.logRows(height: frame.height)
        let topIndex = model.logTopIndex(rows: rows)
        var title = "Log" + events.filter.titleSuffix
        if count > 0 { title += " \(count - topIndex)-\(min(count, count - topIndex + rows - 1)) of \(count)" }
        if count != events.count { title += " (\(events.count) held)" }
        if model.eventsView.logTop == nil { title += " [following]" }
        let new = model.eventsView.logNewCount
        if new > 0 { title += " [\(new) new, G: end]" }
        frame.box(rect, title: title, glyphs: glyphs, border: Style.borderFocus, titleStyle: Style.title)
        let inner = rect.inner
        if count == 0 {
            let empty = events.isEmpty ? "No events yet" : "No events match the filter (/ then Esc clears it, L cycles the level)"
            frame.text(empty, row: inner.row, column: inner.column, width: inner.width, style: Style.dim, ellipsis: glyphs.ellipsis)
            return
        }
        var y = inner.row
        var index = topIndex
        while index >= 0, y < inner.bottom {
            drawEventLine(events.shown(index), row: y, in: inner, glyphs: glyphs, into: &frame)
            index -= 1
            y += 1
        }
    }

    /// The pinned incidents, newest first, in a centered panel (drawn under any dialog).
    static func drawPinned(_ model: ConsoleModel, into frame: inout Frame, glyphs: Glyphs) {
        guard model.eventsView.pinnedOpen, frame.width >= 20, frame.height >= 8 else { return }
        let pinned = model.live.pinned
        let width = min(frame.width - 2, 100)
        let height = min(frame.height - 2, max(pinned.count, 1) + 4)
        let full = Rect(row: 0, column: 0, width: frame.width, height: frame.height)
        let rect = full.centered(width: width, height: height)
        frame.fill(rect, style: Style.dialog)
        frame.box(rect, title: "Pinned incidents (\(pinned.count))", glyphs: glyphs, border: Style.dialog, titleStyle: CellStyle(role: ThemeRole.dialog, attributes: [.bold, .underline]))
        let inner = Rect(row: rect.row + 1, column: rect.column + 1, width: rect.width - 2, height: rect.height - 2)
        let listRows = inner.height - 2
        if pinned.isEmpty {
            frame.text("No incidents pinned", row: inner.row, column: inner.column + 1, width: inner.width - 2, style: Style.dialog)
        }
        var y = inner.row
        for line in pinned.reversed().prefix(max(0, listRows)) {
            var writer = RowWriter(row: y, in: Rect(row: y, column: inner.column + 1, width: inner.width - 2, height: 1), ellipsis: glyphs.ellipsis)
            writer.left(TextFormat.dateTime(line.time), width: 19, style: Style.dialog, into: &frame)
            let level = line.level == .error ? "ERROR" : line.level == .warning ? "WARN" : ""
            writer.left(level, width: 5, style: Style.dialog, into: &frame)
            writer.left(line.text + line.repeatSuffix(times: glyphs.times), style: Style.dialog, into: &frame)
            y += 1
        }
        let hint =
            model.eventsView.confirmingClear
            ? "Clear all \(pinned.count) pinned incidents? y clears, any other key keeps them"
            : (pinned.count > listRows ? "\(pinned.count - listRows) older not shown; " : "") + "C clears (asks), Esc closes, h halts"
        frame.text(hint, row: inner.bottom - 1, column: inner.column + 1, width: inner.width - 2,
            style: model.eventsView.confirmingClear ? Style.buttonFocus : Style.hint, ellipsis: glyphs.ellipsis)
    }

    /// The log view's keys on the hint line (a notice or the filter field take it first).
    static func drawLogHints(_ model: ConsoleModel, row: Int, into frame: inout Frame) {
        guard model.notice == nil, model.eventsView.typing == nil else { return drawHints(model, row: row, into: &frame) }
        var x = 1
        for (key, label) in [("h", "halt"), ("j k PgUp PgDn", "scroll"), ("g G", "oldest/newest"), ("/", "filter"), ("L", "level"), ("q", "close"), ("?", "help")] {
            guard x + key.count + 1 + label.count < frame.width else { break }
            let keyStyle = key == "h" && KeyHelp.isDisabled(.halt, model: model) ? Style.hintDisabled : CellStyle(role: ThemeRole.hint, attributes: .bold)
            x = frame.text(key, row: row, column: x, width: frame.width - x, style: keyStyle)
            x = frame.text(" " + label, row: row, column: x, width: frame.width - x, style: Style.hint)
            x += 2
        }
    }

    /// The `/` field on the key-hint line, as less and k9s draw it; returns whether it drew.
    static func drawFilterPrompt(_ model: ConsoleModel, row: Int, into frame: inout Frame) -> Bool {
        guard let typed = model.eventsView.typing else { return false }
        frame.fill(Rect(row: row, column: 0, width: frame.width, height: 1), style: Style.hint)
        let x = frame.text("/" + typed + "_", row: row, column: 0, width: frame.width, style: Style.buttonFocus)
        let hint = "  filter events: Enter applies, Esc clears; Esc, then h to halt"
        frame.text(hint, row: row, column: x, width: frame.width - x, style: Style.hint)
        return true
    }
}
