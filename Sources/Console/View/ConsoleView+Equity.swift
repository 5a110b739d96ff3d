import Foundation

/// The scale of the equity sparkline, written on the bottom border of the Positions pane.
extension ConsoleView {
    /// The smallest span the sparkline's scale covers, in thousandths of the equity (0.2%: $200 on $100k).
    static let equityMinimumSpanPerMille: Int64 = 2

    /// ` min 100000.00  max 100600.00  change +586.75 `, shortened to what fits the border.
    static func drawEquityScale(low: Decimal, high: Decimal, change: Decimal, row: Int, in inner: Rect, into frame: inout Frame) {
        let lowText = TextFormat.money(low)
        let highText = TextFormat.money(high)
        let changeText = TextFormat.signedMoney(change)
        let room = inner.width - 2
        let candidates = [
            " min \(lowText)  max \(highText)  change \(changeText) ",
            " min \(lowText) max \(highText) chg \(changeText) ",
            " \(lowText)-\(highText) \(changeText) ",
            " chg \(changeText) ",
        ]
        guard let text = candidates.first(where: { $0.count <= room }) else { return }
        frame.text(text, row: row, column: inner.right - text.count - 1, width: text.count, style: Style.title)
    }
}
