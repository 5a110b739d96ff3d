import Foundation
import Primitives

/// Services, Positions and Chaos.
extension ConsoleView {
    static func drawServices(_ context: PaneContext, in rect: Rect, into frame: inout Frame) {
        let services = context.data.services
        let wide = rect.width - 2 >= 60
        let headerRows = wide ? 1 : 0
        let visible = max(0, rect.height - 2 - headerRows)
        let inner = context.frame(.services, in: rect, rows: services.count, visible: visible, into: &frame)
        guard inner.height > 0, inner.width > 0 else { return }
        let ellipsis = context.glyphs.ellipsis
        if wide {
            var header = RowWriter(row: inner.row, in: inner, ellipsis: ellipsis)
            header.left("SERVICE", width: 17, style: Style.title, into: &frame)
            header.left("STATUS", width: 8, style: Style.title, into: &frame)
            header.left("ROLE", width: 10, style: Style.title, into: &frame)
            header.right("RESTARTS", width: 8, style: Style.title, into: &frame)
            header.right("AGE", width: 7, style: Style.title, into: &frame)
            header.left("REASON", width: 17, style: Style.title, into: &frame)
            header.left("LAST ERROR", style: Style.title, into: &frame)
        }
        if services.isEmpty {
            frame.text("Waiting for the supervisor...", row: inner.row + headerRows, column: inner.column, width: inner.width, style: Style.dim)
            return
        }
        let (start, selected) = context.window(.services, rows: services.count, visible: visible)
        var y = inner.row + headerRows
        for index in start..<min(services.count, start + visible) {
            let service = services[index]
            var writer = RowWriter(row: y, in: inner, ellipsis: ellipsis)
            writer.left(service.name, width: 17, style: Style.text, into: &frame)
            writer.left(service.status.rawValue, width: 8, style: healthStyle(service.status), into: &frame)
            if wide {
                writer.left(service.isCritical ? "critical" : "supportive", width: 10, style: Style.text, into: &frame)
                writer.right(String(service.restarts), width: 8, style: Style.text, into: &frame)
                let age = context.data.clock.map { TextFormat.age(of: service.since, at: $0) } ?? service.sinceText
                writer.right(age, width: 7, style: Style.text, into: &frame)
                writer.left(service.reason?.rawValue ?? "", width: 17, style: Style.healthFailed, into: &frame)
                writer.left(service.lastError ?? service.detail ?? "", style: Style.text, into: &frame)
            } else {
                writer.left("r" + String(service.restarts), width: 3, style: Style.text, into: &frame)
                if writer.remaining >= 10 {
                    writer.left(service.reason?.rawValue ?? service.lastError ?? "", style: Style.text, into: &frame)
                }
            }
            if index == selected { context.highlight(row: y, in: inner, into: &frame) }
            y += 1
        }
        // Spare rows: the last errors of the services that are not OK.
        for service in services where service.status != .ok && y < inner.bottom {
            guard let error = service.lastError ?? service.detail else { continue }
            frame.text(service.name + ": " + error, row: y, column: inner.column, width: inner.width, style: Style.dim, ellipsis: ellipsis)
            y += 1
        }
    }

    static func drawPositions(_ context: PaneContext, in rect: Rect, into frame: inout Frame) {
        let positions = context.data.positions
        let wide = rect.width - 2 >= 70
        let visible = max(0, rect.height - 4)
        let inner = context.frame(.positions, in: rect, title: "Positions (\(positions.count))", rows: positions.count, visible: visible, into: &frame)
        guard inner.height > 0, inner.width > 0 else { return }
        let ellipsis = context.glyphs.ellipsis
        var header = RowWriter(row: inner.row, in: inner, ellipsis: ellipsis)
        header.left("SYMBOL", width: 6, style: Style.title, into: &frame)
        header.right("QTY", width: 6, style: Style.title, into: &frame)
        header.right("AVG", width: 8, style: Style.title, into: &frame)
        header.right("LAST", width: 8, style: Style.title, into: &frame)
        header.right(wide ? "UNREAL PNL" : "UPNL", width: wide ? 12 : max(0, header.remaining), style: Style.title, into: &frame)
        if wide {
            header.right("VALUE", width: 12, style: Style.title, into: &frame)
            header.left("OPENED", width: 8, style: Style.title, into: &frame)
        }
        if positions.isEmpty, inner.height > 2 {
            frame.text("No open positions", row: inner.row + 1, column: inner.column, width: inner.width, style: Style.dim)
        }
        let (start, selected) = context.window(.positions, rows: positions.count, visible: visible)
        var y = inner.row + 1
        for index in start..<min(positions.count, start + visible) {
            let position = positions[index]
            var writer = RowWriter(row: y, in: inner, ellipsis: ellipsis)
            writer.left(position.symbol, width: 6, style: Style.text, into: &frame)
            writer.right(position.quantityText, width: 6, style: Style.text, into: &frame)
            writer.right(position.averageEntryText, width: 8, style: Style.text, into: &frame)
            writer.right(position.lastText, width: 8, style: Style.text, into: &frame)
            let pnlStyle = position.unrealised.map { $0 < 0 ? Style.pnlDown : Style.pnlUp } ?? Style.dim
            writer.right(position.unrealisedText, width: wide ? 12 : max(0, writer.remaining), style: pnlStyle, into: &frame)
            if wide {
                writer.right(position.valueText, width: 12, style: Style.text, into: &frame)
                writer.left(position.openedText, width: 8, style: Style.text, into: &frame)
            }
            if index == selected { context.highlight(row: y, in: inner, into: &frame) }
            y += 1
        }
        if inner.height >= 3 { drawEquity(context, row: inner.bottom - 1, in: inner, into: &frame) }
    }

    /// `Equity 100234.50 ▁▂▃▅▇`: the latest equity and a sparkline of its history, newest on the right.
    private static func drawEquity(_ context: PaneContext, row: Int, in inner: Rect, into frame: inout Frame) {
        let history = context.data.equityHistory
        guard let equity = context.data.account?.equity ?? history.last else {
            frame.text("Equity -", row: row, column: inner.column, width: inner.width, style: Style.dim)
            return
        }
        let x = frame.text("Equity " + TextFormat.money(equity) + " ", row: row, column: inner.column, width: inner.width, style: Style.title)
        let room = inner.right - x
        guard room > 0, !history.isEmpty else { return }
        // In whole cents: integer arithmetic for every point (the scale's three figures go back to Decimal).
        let points = history.cents.suffix(room)
        let levels = context.glyphs.sparkline
        let count = Int64(levels.count)
        var low = points.first!
        var high = low
        for value in points {
            if value < low { low = value }
            if value > high { high = value }
        }
        drawEquityScale(
            low: Decimal(low) / 100, high: Decimal(high) / 100, change: Decimal(points.last! - points.first!) / 100,
            row: inner.bottom, in: inner, into: &frame)
        // Never magnify noise: the scale spans at least `equityMinimumSpanPerMille` of the equity, with the points'
        // middle in the middle of the middle level, so a few cents on $100k draw as a flat line, not as a crash.
        let span = max(0, history.cents.last!) * ConsoleView.equityMinimumSpanPerMille / 1000
        if high - low < span {
            // low = middle - span × (levels / 2 + 1/2) / levels, in halves of a cent times levels to stay exact.
            let middleTwice = high + low
            low = (middleTwice * count - span * (count / 2 * 2 + 1)) / (2 * count)
            high = low + span
        }
        var column = x
        for value in points {
            // Level ⌊(value - low) × levels / (high - low)⌋, clamped: one multiplication and one division.
            var level = Int(count / 2)
            if high > low { level = Int(max(0, min(count - 1, (value - low) * count / (high - low)))) }
            frame[row, column] = Cell(levels[level], style: Style.text)
            column += 1
        }
    }

    static func drawChaos(_ context: PaneContext, in rect: Rect, into frame: inout Frame) {
        guard rect.height > 0, rect.width > 0 else { return }
        if rect.height < 3 {
            drawChaosSummary(context, in: rect, into: &frame)
            return
        }
        let modes = ChaosMode.keyed
        let locked = context.model.chaosLocked
        let visible = max(0, rect.height - 2)
        let title = locked ? "Chaos LOCKED (live account)" : "Chaos"
        let inner = context.frame(
            .chaos, in: rect, title: title, titleStyle: locked ? Style.chaosLocked : Style.title,
            rows: modes.count, visible: visible, into: &frame)
        guard inner.height > 0, inner.width > 0 else { return }
        let wide = inner.width >= 50
        let (start, selected) = context.window(.chaos, rows: modes.count, visible: visible)
        var y = inner.row
        for index in start..<min(modes.count, start + visible) {
            let mode = modes[index]
            let on = context.data.chaosOn.contains(mode)
            var writer = RowWriter(row: y, in: inner, ellipsis: context.glyphs.ellipsis)
            writer.left(String(index + 1), width: 1, style: Style.title, into: &frame)
            writer.left(mode.rawValue, width: 16, style: Style.text, into: &frame)
            writer.left(on ? "ON" : "OFF", width: 3, style: on ? Style.chaosOn : Style.chaosOff, into: &frame)
            if locked { writer.left("LOCKED", width: 6, style: Style.chaosLocked, into: &frame) }
            if wide { writer.left(mode.rehearsal, style: Style.dim, into: &frame) }
            if index == selected { context.highlight(row: y, in: inner, into: &frame) }
            y += 1
        }
    }
}

extension ConsoleView {
    /// The folded Chaos pane: one line on a border, `Chaos: all off` or `Chaos: 2 ON alpaca_down, latency`,
    /// and how to unfold it.
    static func drawChaosSummary(_ context: PaneContext, in rect: Rect, into frame: inout Frame) {
        let row = rect.row
        frame.fill(Rect(row: row, column: rect.column, width: rect.width, height: 1), with: context.glyphs.horizontal, style: Style.border)
        let on = ChaosMode.keyed.filter { context.data.chaosOn.contains($0) }
        let end = rect.right - 1
        var x = frame.text(" Chaos: ", row: row, column: rect.column + 1, width: end - rect.column - 1, style: Style.title)
        let state = on.isEmpty ? "all off" : "\(on.count) ON " + on.map(\.rawValue).joined(separator: ", ")
        // The modes switched on come first; the hint only where there is room left for it.
        x = frame.text(state, row: row, column: x, width: max(0, end - x - 1), style: on.isEmpty ? Style.chaosOff : Style.chaosOn, ellipsis: context.glyphs.ellipsis)
        let hint = "  c shows all "
        if end - x >= hint.count { frame.text(hint, row: row, column: x, width: hint.count, style: Style.hint) }
        else if end - x >= 8 { frame.text(" c: all ", row: row, column: x, width: end - x, style: Style.hint) }
    }
}
