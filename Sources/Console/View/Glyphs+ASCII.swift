import Foundation

/// ASCII fallbacks for the text the console shows (reasons, limits, messages from the core), so that a
/// terminal without UTF-8 never shows `?` stand-ins.
extension Glyphs {
    /// Whether these glyphs are seven-bit only (the terminal has no UTF-8 locale).
    public var isASCII: Bool {
        horizontal.isASCII && vertical.isASCII && ellipsis.isASCII && separator.isASCII && sparkline.allSatisfy(\.isASCII)
    }

    /// `text` with every non-ASCII character replaced by its ASCII fallback; `text` itself when it is
    /// ASCII already (the common case: one pass over its bytes).
    public static func asciiText(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            if character.isASCII { out.append(character) } else { out += asciiFallback(character) }
        }
        return out
    }

    /// One character's ASCII stand-in: a known sign spelled out, else its letters without accents, else `_`.
    public static func asciiFallback(_ character: Character) -> String {
        if let known = asciiFallbacks[character] { return known }
        let letters = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.filter(\.isASCII)
        if !letters.isEmpty { return String(String.UnicodeScalarView(letters)) }
        return "_"
    }

    private static let asciiFallbacks: [Character: String] = [
        "≥": ">=", "≤": "<=", "≠": "!=", "±": "+/-", "×": "x", "÷": "/", "−": "-", "…": "...",
        "—": "-", "–": "-", "‐": "-", "→": "->", "←": "<-", "↑": "^", "↓": "v", "⇒": "=>",
        "·": ".", "•": "*", "°": " deg", "µ": "u", "€": "EUR", "£": "GBP", "¥": "JPY", "✓": "ok", "✗": "x",
        "“": "\"", "”": "\"", "„": "\"", "‘": "'", "’": "'", "«": "<<", "»": ">>", "\u{00A0}": " ",
        "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+",
        "▁": "_", "▂": ".", "▃": "-", "▄": "-", "▅": "=", "▆": "=", "▇": "#", "█": "#",
    ]
}
