/// One line of a theme: `FG [on BG] [bold|dim|reverse|underline]...`, as written.
public struct ThemeStyle: Hashable, Sendable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: CellStyle.Attributes

    public init(foreground: ThemeColor = .default, background: ThemeColor = .default, attributes: CellStyle.Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// True when the style names a colour other than the terminal's default.
    public var usesColor: Bool { foreground != .default || background != .default }

    /// The attribute names a theme file accepts.
    public static let attributeNames: [(String, CellStyle.Attributes)] = [
        ("bold", .bold), ("dim", .dim), ("reverse", .reverse), ("underline", .underline),
    ]

    /// Parses the right-hand side of a theme line; the error says what was wrong.
    public static func parse(_ spec: String) -> Result<ThemeStyle, ThemeColorError> {
        let words = spec.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else {
            return .failure(ThemeColorError("no style after '=' (write e.g. 'default', 'red on black bold' or 'reverse')"))
        }
        var style = ThemeStyle()
        var index = 0
        if attribute(named: words[0]) == nil, words[0].lowercased() != "on" {
            switch ThemeColor.parse(words[0]) {
            case .success(let color): style.foreground = color
            case .failure(let error): return .failure(error)
            }
            index = 1
        }
        if index < words.count, words[index].lowercased() == "on" {
            guard index + 1 < words.count else { return .failure(ThemeColorError("expected a colour after 'on'")) }
            switch ThemeColor.parse(words[index + 1]) {
            case .success(let color): style.background = color
            case .failure(let error): return .failure(error)
            }
            index += 2
        }
        for word in words[index...] {
            guard let attribute = attribute(named: word) else {
                let names = attributeNames.map(\.0).joined(separator: ", ")
                if case .success = ThemeColor.parse(word) {
                    return .failure(ThemeColorError("colour '\(word)' out of place: write FG [on BG] then attributes (\(names))"))
                }
                return .failure(ThemeColorError("unknown attribute '\(word)' (accepted: \(names))"))
            }
            style.attributes.insert(attribute)
        }
        return .success(style)
    }

    private static func attribute(named name: String) -> CellStyle.Attributes? {
        attributeNames.first { $0.0 == name.lowercased() }?.1
    }
}

/// A style as the terminal paints it: colour numbers for its capability (-1: the terminal's default
/// colour) and the attributes.
public struct ResolvedStyle: Hashable, Sendable {
    /// The terminal's own foreground or background colour.
    public static let defaultColor = -1

    public var foreground: Int
    public var background: Int
    public var attributes: CellStyle.Attributes

    public init(foreground: Int = ResolvedStyle.defaultColor, background: Int = ResolvedStyle.defaultColor, attributes: CellStyle.Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}
