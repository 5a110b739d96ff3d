
/// Guard rejections and Events: the two long lists, newest first.
extension ConsoleView {
    static func drawRejections(_ context: PaneContext, in rect: Rect, into frame: inout Frame) {
        if rect.width - 2 >= 90 {
            drawRejectionTable(context, in: rect, into: &frame)
        } else {
            drawRejectionPairs(context, in: rect, into: &frame)
        }
    }

    /// Wide: one row per rejection, every field in its own column.
    private static func drawRejectionTable(_ context: PaneContext, in rect: Rect, into frame: inout Frame) {
        let rejections = context.data.rejections
        let visible = max(0, rect.height - 3)
        let inner = context.frame(.rejections, in: rect, rows: rejections.count, visible: visible, into: &frame)
        guard inner.height > 0, inner.width > 0 else { return }
        let ellipsis = context.glyphs.ellipsis
        var header = RowWriter(row: inner.row, in: inner, ellipsis: ellipsis)
        header.left("TIME", width: 8, style: Style.title, into: &frame)
        header.left("SYM", width: 6, style: Style.title, into: &frame)
        header.left("SIDE", width: 4, style: Style.title, into: &frame)
        header.right("QTY", width: 6, style: Style.title, into: &frame)
        header.left("CHECK", width: 17, style: Style.title, into: &frame)
        header.right("LIMIT", width: 12, style: Style.title, into: &frame)
        header.right("ACTUAL", width: 12, style: Style.title, into: &frame)
        header.left("MESSAGE", style: Style.title, into: &frame)
        if rejections.isEmpty, inner.height > 1 {
            frame.text("No rejections", row: inner.row + 1, column: inner.column, width: inner.width, style: Style.dim)
            return
        }
        let (start, selected) = context.window(.rejections, rows: rejections.count, visible: visible)
        var y = inner.row + 1
        for index in start..<min(rejections.count, start + visible) {
            let rejection = rejections[index]
            var writer = RowWriter(row: y, in: inner, ellipsis: ellipsis)
            writer.left(rejection.timeText, width: 8, style: Style.text, into: &frame)
            writer.left(rejection.symbol, width: 6, style: Style.text, into: &frame)
            writer.left(rejection.sideText, width: 4, style: Style.text, into: &frame)
            writer.right(rejection.quantityText, width: 6, style: Style.text, into: &frame)
            writer.left(rejection.check, width: 17, style: Style.guardReject, into: &frame)
            writer.right(rejection.limit, width: 12, style: Style.text, into: &frame)
            writer.right(rejection.actual, width: 12, style: Style.guardReject, into: &frame)
            writer.left(rejection.message, style: Style.dim, into: &frame)
            if index == selected { context.highlight(row: y, in: inner, into: &frame) }
            y += 1
        }
    }

    /// Narrow: two lines per rejection (time, symbol, side, check; then limit vs actual), so nothing
    /// that matters is cut at 80 columns.
    private static func drawRejectionPairs(_ context: PaneContext, in rect: Rect, into frame: inout Frame) {
        let rejections = context.data.rejections
        let visible = max(0, (rect.height - 2) / 2)
        let inner = context.frame(.rejections, in: rect, rows: rejections.count, visible: visible, into: &frame)
        guard inner.height > 0, inner.width > 0 else { return }
        if rejections.isEmpty {
            frame.text("No rejections", row: inner.row, column: inner.column, width: inner.width, style: Style.dim)
            return
        }
        let ellipsis = context.glyphs.ellipsis
        let (start, selected) = context.window(.rejections, rows: rejections.count, visible: visible)
        var y = inner.row
        for index in start..<min(rejections.count, start + visible) {
            let rejection = rejections[index]
            var writer = RowWriter(row: y, in: inner, ellipsis: ellipsis)
            writer.left(rejection.timeText, width: 8, style: Style.text, into: &frame)
            writer.left(rejection.symbol, width: 5, style: Style.text, into: &frame)
            writer.left(rejection.sideText, width: 4, style: Style.text, into: &frame)
            writer.left(rejection.check, style: Style.guardReject, into: &frame)
            var detail = RowWriter(row: y + 1, in: inner, ellipsis: ellipsis)
            detail.left("", width: 8, style: Style.text, into: &frame)
            detail.left("limit " + rejection.limit, width: min(detail.remaining, rejection.limit.count + 6), style: Style.text, into: &frame)
            detail.left("vs actual " + rejection.actual, style: Style.guardReject, into: &frame)
            if index == selected {
                context.highlight(row: y, in: inner, into: &frame)
                context.highlight(row: y + 1, in: inner, into: &frame)
            }
            y += 2
        }
    }

    static func drawEvents(_ context: PaneContext, in rect: Rect, into frame: inout Frame) {
        let events = context.data.events
        let count = events.shownCount
        let visible = max(0, rect.height - 2)
        let inner = context.frame(.events, in: rect, title: eventsTitle(context), rows: count, visible: visible, into: &frame)
        guard inner.height > 0, inner.width > 0 else { return }
        if count == 0 {
            let empty = events.isEmpty ? "No events yet" : "No events match the filter (/ then Esc clears it, L cycles the level)"
            frame.text(empty, row: inner.row, column: inner.column, width: inner.width, style: Style.dim, ellipsis: context.glyphs.ellipsis)
            return
        }
        let (start, selected) = context.window(.events, rows: count, visible: visible)
        var y = inner.row
        for index in start..<min(count, start + visible) {
            drawEventLine(events.shown(index), row: y, in: inner, glyphs: context.glyphs, into: &frame)
            if index == selected { context.highlight(row: y, in: inner, into: &frame) }
            y += 1
        }
    }
}
