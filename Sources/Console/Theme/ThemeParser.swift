/// Reads theme files: `key = spec` lines, `#` comments (a whole line, or after a space) and blank lines.
public enum ThemeParser {
    /// What a theme file holds: the styles it sets (known keys only) and every problem, in line order.
    public struct Result: Sendable {
        public var styles: [String: ThemeStyle]
        public var diagnostics: [ThemeDiagnostic]

        public var errors: [ThemeDiagnostic] { diagnostics.filter { $0.severity == .error } }
        public var warnings: [ThemeDiagnostic] { diagnostics.filter { $0.severity == .warning } }
    }

    public static func parse(_ text: String) -> Result {
        var styles: [String: ThemeStyle] = [:]
        var setOn: [String: Int] = [:]
        var diagnostics: [ThemeDiagnostic] = []
        let known = Set(Theme.roles)
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = stripComment(String(rawLine)).trimmingWhitespace()
            if line.isEmpty { continue }
            guard let equals = line.firstIndex(of: "=") else {
                diagnostics.append(ThemeDiagnostic(.error, line: number, "expected 'key = style', found no '='"))
                continue
            }
            let key = String(line[..<equals]).trimmingWhitespace()
            let spec = String(line[line.index(after: equals)...])
            guard !key.isEmpty else {
                diagnostics.append(ThemeDiagnostic(.error, line: number, "no key before '='"))
                continue
            }
            switch ThemeStyle.parse(spec) {
            case .failure(let error):
                diagnostics.append(ThemeDiagnostic(.error, line: number, "\(key): \(error.message)"))
            case .success(let style):
                guard known.contains(key) else {
                    diagnostics.append(ThemeDiagnostic(.warning, line: number, "unknown key '\(key)' (ignored)"))
                    continue
                }
                if let earlier = setOn[key] {
                    diagnostics.append(ThemeDiagnostic(.warning, line: number, "'\(key)' was already set on line \(earlier); this line wins"))
                }
                styles[key] = style
                setOn[key] = number
            }
        }
        return Result(styles: styles, diagnostics: diagnostics)
    }

    /// Drops a comment: a line starting with `#`, or ` #` followed by a space or the end of the line
    /// (so `#RRGGBB` colours are kept).
    static func stripComment(_ line: String) -> String {
        let characters = Array(line)
        for index in characters.indices where characters[index] == "#" {
            let atStart = characters[..<index].allSatisfy(\.isWhitespace)
            let afterSpace = index > 0 && characters[index - 1].isWhitespace
            let beforeSpace = index + 1 == characters.count || characters[index + 1].isWhitespace
            if atStart || (afterSpace && beforeSpace) { return String(characters[..<index]) }
        }
        return line
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
