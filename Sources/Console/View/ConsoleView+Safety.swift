import Primitives

/// The banner under the header while trading is HALTED or REDUCING: what, who, how long ago, why (cut at
/// a word, `w` shows all of it) and the exact way out, which is never cut.
extension ConsoleView {
    static func drawSafetyBanner(_ safety: SafetyState, row: Int, into frame: inout Frame, glyphs: Glyphs) {
        let style = safety.mode == .halted ? Style.halted : Style.reducingBanner
        frame.fill(Rect(row: row, column: 0, width: frame.width, height: 1), style: style)
        let wayOut = " \(glyphs.separator) " + safety.wayOut + " "
        let headline = " " + safety.headline
        var room = frame.width - headline.count - wayOut.count
        var reasonText = ""
        if !safety.reason.isEmpty, room >= 8 {
            let whole = ": " + safety.reason
            if whole.count <= room {
                reasonText = whole
            } else {
                let hint = " (w: why)"
                room -= hint.count
                let cut = TextFormat.shortened(safety.reason, width: room - 2, ellipsis: glyphs.ellipsis)
                reasonText = cut.count > 1 ? ": " + cut + hint : hint
            }
        }
        frame.text(headline + reasonText, row: row, column: 0, width: frame.width - wayOut.count, style: style, ellipsis: glyphs.ellipsis)
        frame.text(wayOut, row: row, column: max(0, frame.width - wayOut.count), width: wayOut.count, style: style)
    }
}
