/// A colour as a theme file writes it: the terminal's default, one of the 8 named colours, its bright
/// variant, an index into the 256-colour palette, or an exact `#RRGGBB` that is mapped to the nearest
/// colour the terminal has.
public enum ThemeColor: Hashable, Sendable {
    case `default`
    /// 0–7: black red green yellow blue magenta cyan white.
    case named(Int)
    /// 0–7 as above, bright (palette 8–15).
    case bright(Int)
    /// 0–255.
    case indexed(Int)
    case rgb(red: Int, green: Int, blue: Int)

    /// The 8 colour names, in palette order.
    public static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses `default`, a name, `bright-<name>`, `0`–`255` or `#RRGGBB`; the error says what was wrong.
    public static func parse(_ text: String) -> Result<ThemeColor, ThemeColorError> {
        let lower = text.lowercased()
        if lower == "default" { return .success(.default) }
        if let index = names.firstIndex(of: lower) { return .success(.named(index)) }
        if lower.hasPrefix("bright-") {
            let base = String(lower.dropFirst("bright-".count))
            guard let index = names.firstIndex(of: base) else {
                return .failure(ThemeColorError("unknown colour '\(text)' (bright- takes one of \(names.joined(separator: " ")))"))
            }
            return .success(.bright(index))
        }
        if lower.hasPrefix("#") {
            let hex = lower.dropFirst()
            guard hex.count == 6, hex.allSatisfy(\.isHexDigit), let value = Int(hex, radix: 16) else {
                return .failure(ThemeColorError("bad colour '\(text)': expected #RRGGBB with 6 hex digits"))
            }
            return .success(.rgb(red: value >> 16, green: (value >> 8) & 0xFF, blue: value & 0xFF))
        }
        if !lower.isEmpty, lower.allSatisfy(\.isASCII), lower.allSatisfy(\.isNumber) {
            guard let index = Int(lower), (0...255).contains(index) else {
                return .failure(ThemeColorError("colour \(text) is out of range 0–255"))
            }
            return .success(.indexed(index))
        }
        return .failure(ThemeColorError("unknown colour '\(text)'"))
    }

    /// The terminal colour number to use with `capability`, or -1 for the terminal's default colour.
    public func terminalColor(for capability: ColorCapability) -> Int {
        switch (self, capability) {
        case (.default, _), (_, .none): return -1
        case (.named(let index), _): return index
        case (.bright(let index), .twoFiftySix): return 8 + index
        case (.bright(let index), .eight): return index
        case (.indexed(let index), .twoFiftySix): return index
        case (.indexed(let index), .eight):
            if index < 8 { return index }
            if index < 16 { return index - 8 }
            let (red, green, blue) = ColorPalette.rgb(ofIndex: index)
            return ColorPalette.nearestBasic(red: red, green: green, blue: blue)
        case (.rgb(let red, let green, let blue), .twoFiftySix):
            return ColorPalette.nearest256(red: red, green: green, blue: blue)
        case (.rgb(let red, let green, let blue), .eight):
            return ColorPalette.nearestBasic(red: red, green: green, blue: blue)
        }
    }
}

/// What was wrong with a colour in a theme file.
public struct ThemeColorError: Error, Hashable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
