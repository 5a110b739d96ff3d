import Primitives

/// Ages and reasons as the header and the safety banner write them.
extension TextFormat {
    /// How long ago `time` was, seen at `now`: `12s`, `2m 05s`, `12m`, `1h 02m`, `3d 04h` (`0s` for the future).
    public static func age(of time: Timestamp, at now: Timestamp) -> String {
        let seconds = max(0, now.epochComponents.seconds - time.epochComponents.seconds)
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 600 { return "\(seconds / 60)m " + pad(seconds % 60) + "s" }
        if seconds < 3_600 { return "\(seconds / 60)m" }
        if seconds < 86_400 { return "\(seconds / 3_600)h " + pad(seconds % 3_600 / 60) + "m" }
        return "\(seconds / 86_400)d " + pad(seconds % 86_400 / 3_600) + "h"
    }

    /// `text` in at most `width` characters, cut at a space (never inside a word) and ended with
    /// `ellipsis` when cut. When not even the first word fits, only the ellipsis is left ("" for width 0).
    public static func shortened(_ text: String, width: Int, ellipsis: Character) -> String {
        guard width > 0 else { return "" }
        guard text.count > width else { return text }
        // The longest prefix ending before a space that leaves room for the ellipsis.
        var kept = ""
        var current = ""
        var length = 0
        for character in text {
            if character == " " {
                if length <= width - 1 { kept = current }
            }
            length += 1
            if length > width - 1 { break }
            current.append(character)
        }
        while kept.last == " " || kept.last == ":" || kept.last == "," || kept.last == ";" { kept.removeLast() }
        return kept + String(ellipsis)
    }

    private static func pad(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
