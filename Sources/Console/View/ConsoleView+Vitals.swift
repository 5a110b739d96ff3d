import Foundation
import Primitives
import TradingModel

/// The vital signs: a two-line strip under the header on short terminals, a pane of their own (and an
/// Open orders pane) on tall ones.
extension ConsoleView {
    /// Pieces of one strip line; a group is written whole or not at all (never cut mid-figure).
    private struct Strip {
        var row: Int
        var x: Int
        let end: Int
        var started = false
        /// Two spaces between groups where there is room (100 columns), one otherwise.
        let spacing: Int

        init(row: Int, x: Int, end: Int) {
            self.row = row
            self.x = x
            self.end = end
            spacing = end - x >= 100 ? 2 : 1
        }

        mutating func group(_ parts: [(String, CellStyle)], into frame: inout Frame) {
            let gap = started ? spacing : 0
            let length = parts.reduce(0) { $0 + $1.0.count } + gap
            guard x + length <= end else {
                x = end
                return
            }
            x += gap
            started = true
            for (text, style) in parts { x = frame.text(text, row: row, column: x, width: end - x, style: style) }
        }
    }

    /// Line 1: equity, cash, buying power, realised PnL today and in total, unrealised; with the open
    /// orders' count. Line 2: exposure against its limit, the ages, the APIs in one figure.
    static func drawVitalsStrip(_ context: PaneContext, in rect: Rect, into frame: inout Frame) {
        guard rect.height > 0, rect.width > 0 else { return }
        guard let vitals = context.data.vitals else {
            frame.text(" Vital signs: waiting for the first report", row: rect.row, column: rect.column, width: rect.width, style: Style.dim)
            return
        }
        var first = Strip(row: rect.row, x: rect.column, end: rect.right)
        first.group([("Eq ", Style.dim), (vitals.equity, Style.text)], into: &frame)
        first.group([("Cash ", Style.dim), (vitals.cash, Style.text)], into: &frame)
        first.group([("BP ", Style.dim), (vitals.buyingPower, Style.text)], into: &frame)
        first.group(
            [("PnL day ", Style.dim), (vitals.realizedToday, pnlStyle(vitals.signs.realizedToday)), (" all ", Style.dim),
             (vitals.realizedTotal, pnlStyle(vitals.signs.realizedTotal))], into: &frame)
        first.group([("unr ", Style.dim), (vitals.unrealized, pnlStyle(vitals.signs.unrealized))], into: &frame)
        if !vitals.orders.isEmpty { first.group([("orders ", Style.dim), (String(vitals.orders.count), Style.title)], into: &frame) }
        guard rect.height > 1 else { return }
        var second = Strip(row: rect.row + 1, x: rect.column, end: rect.right)
        second.group([("Exp ", Style.dim), (vitals.exposure + "/" + vitals.exposureLimit + (vitals.exposureAtLimit ? "!" : ""), vitals.exposureAtLimit ? Style.healthDegraded : Style.text)], into: &frame)
        let holding = !context.data.positions.isEmpty
        for age in VitalAge.allCases {
            let reading = age.reading(vitals.signs, at: context.data.clock, holdingPositions: holding)
            second.group([(age.label + " ", Style.dim), (reading.text, reading.stale ? Style.healthDegraded : Style.text)], into: &frame)
            // The APIs in one figure after the feeds' ages: the slowest p99, and the errors of the last
            // minute naming who erred.
            if age == .quote {
                let slowest = vitals.apis.max { $0.p99Micros < $1.p99Micros }
                let erring = vitals.apis.filter { $0.errors > 0 }
                var parts: [(String, CellStyle)] = [("API ", Style.dim), (slowest?.p99 ?? "-", Style.text)]
                if erring.isEmpty {
                    parts.append((" 0err", Style.text))
                } else {
                    parts.append((" " + erring.map { "\($0.shortName) \($0.errors)err" }.joined(separator: " "), Style.healthDegraded))
                }
                second.group(parts, into: &frame)
            }
        }
    }

    /// The Vital signs pane: money, exposure, ages, then one row per API.
    static func drawVitalsPane(_ context: PaneContext, in rect: Rect, into frame: inout Frame) {
        guard rect.height > 2, rect.width > 2 else { return }
        frame.box(rect, title: "Vital signs", glyphs: context.glyphs, border: Style.border, titleStyle: Style.title)
        let inner = rect.inner
        guard let vitals = context.data.vitals else {
            frame.text("Waiting for the first report...", row: inner.row, column: inner.column, width: inner.width, style: Style.dim)
            return
        }
        var rows: [[(String, CellStyle)]] = [
            [("Equity ", Style.dim), (vitals.equity, Style.text), ("  Cash ", Style.dim), (vitals.cash, Style.text), ("  Buying power ", Style.dim),
             (vitals.buyingPower, Style.text)],
            [("Realised today ", Style.dim), (vitals.realizedToday, pnlStyle(vitals.signs.realizedToday)), ("  total ", Style.dim),
             (vitals.realizedTotal, pnlStyle(vitals.signs.realizedTotal)), ("  Unrealised ", Style.dim), (vitals.unrealized, pnlStyle(vitals.signs.unrealized))],
            [("Exposure ", Style.dim), (vitals.exposure, vitals.exposureAtLimit ? Style.healthDegraded : Style.text), (" of equity, limit ", Style.dim),
             (vitals.exposureLimit + (vitals.exposureAtLimit ? " REACHED" : ""), vitals.exposureAtLimit ? Style.healthDegraded : Style.text)],
        ]
        var ages: [(String, CellStyle)] = [("Ages ", Style.dim)]
        let holding = !context.data.positions.isEmpty
        for age in VitalAge.allCases {
            let reading = age.reading(vitals.signs, at: context.data.clock, holdingPositions: holding)
            ages.append(((ages.count == 1 ? " " : "  ") + age.longLabel + " ", Style.dim))
            ages.append((reading.text, reading.stale ? Style.healthDegraded : Style.text))
        }
        rows.append(ages)
        var y = inner.row
        for parts in rows where y < inner.bottom {
            var x = inner.column
            for (text, style) in parts { x = frame.text(text, row: y, column: x, width: inner.right - x, style: style, ellipsis: context.glyphs.ellipsis) }
            y += 1
        }
        guard y < inner.bottom else { return }
        let ellipsis = context.glyphs.ellipsis
        var header = RowWriter(row: y, in: inner, ellipsis: ellipsis)
        header.left("API", width: 15, style: Style.title, into: &frame)
        header.right("P50", width: 8, style: Style.title, into: &frame)
        header.right("P99", width: 8, style: Style.title, into: &frame)
        header.right("ERR/MIN", width: 8, style: Style.title, into: &frame)
        header.right("CALLS/MIN", width: 9, style: Style.title, into: &frame)
        y += 1
        for api in vitals.apis where y < inner.bottom {
            var writer = RowWriter(row: y, in: inner, ellipsis: ellipsis)
            writer.left(api.api, width: 15, style: Style.text, into: &frame)
            writer.right(api.p50, width: 8, style: Style.text, into: &frame)
            writer.right(api.p99, width: 8, style: Style.text, into: &frame)
            writer.right(String(api.errors), width: 8, style: api.errors > 0 ? Style.healthDegraded : Style.text, into: &frame)
            writer.right(String(api.calls), width: 9, style: Style.text, into: &frame)
            y += 1
        }
    }

    /// The rows the Vital signs pane needs: four lines, the API header and one row per API, the border.
    static func vitalsPaneHeight(_ data: ConsoleModel.Snapshot) -> Int {
        4 + 1 + max(3, data.vitals?.apis.count ?? 3) + 2
    }

    /// The Open orders pane: symbol, side, quantity, limit, status and age, oldest first.
    static func drawOpenOrders(_ context: PaneContext, in rect: Rect, into frame: inout Frame) {
        guard rect.height > 2, rect.width > 2 else { return }
        let orders = context.data.vitals?.orders ?? []
        let visible = max(0, rect.height - 3)
        let inner = context.frame(
            .orders, in: rect, title: "\(Pane.orders.title) (\(orders.count))", rows: orders.count, visible: visible, into: &frame)
        let ellipsis = context.glyphs.ellipsis
        var header = RowWriter(row: inner.row, in: inner, ellipsis: ellipsis)
        header.left("SYMBOL", width: 6, style: Style.title, into: &frame)
        header.left("SIDE", width: 4, style: Style.title, into: &frame)
        header.right("QTY", width: 6, style: Style.title, into: &frame)
        header.right("LIMIT", width: 9, style: Style.title, into: &frame)
        header.left("STATUS", width: 16, style: Style.title, into: &frame)
        header.right("AGE", width: 7, style: Style.title, into: &frame)
        if orders.isEmpty, inner.height > 1 {
            frame.text("No open orders", row: inner.row + 1, column: inner.column, width: inner.width, style: Style.dim)
            return
        }
        let (start, selected) = context.window(.orders, rows: orders.count, visible: visible)
        var y = inner.row + 1
        for index in start..<min(orders.count, start + visible) {
            let order = orders[index]
            var writer = RowWriter(row: y, in: inner, ellipsis: ellipsis)
            writer.left(order.symbol, width: 6, style: Style.text, into: &frame)
            writer.left(order.side, width: 4, style: Style.text, into: &frame)
            writer.right(order.quantity, width: 6, style: Style.text, into: &frame)
            writer.right(order.limit, width: 9, style: Style.text, into: &frame)
            writer.left(order.status, width: 16, style: Style.text, into: &frame)
            let age = context.data.clock.map { TextFormat.age(of: order.submittedAt, at: $0) } ?? "-"
            writer.right(age, width: 7, style: Style.text, into: &frame)
            if index == selected { context.highlight(row: y, in: inner, into: &frame) }
            y += 1
        }
    }

    private static func pnlStyle(_ value: Decimal) -> CellStyle {
        value < 0 ? Style.pnlDown : value > 0 ? Style.pnlUp : Style.text
    }
}
