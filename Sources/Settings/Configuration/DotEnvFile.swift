/// A strict parser for `.env` files.
///
/// Accepted, one per line: `KEY=VALUE`, an optional `export ` prefix, values in single quotes (taken
/// literally) or double quotes (`\n`, `\t`, `\"`, `\\` escapes), unquoted values with a trailing
/// ` # comment`, whole-line `#` comments and blank lines. Anything else is a problem reported with its
/// line number; every problem in the file is reported, not just the first.
public struct DotEnvFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
        public var line: Int
    }

    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        /// What is wrong, quoting (at most 40 characters of) the line where that helps.
        public var message: String
        /// What is wrong without a character of the line's value, for a line that may hold a secret.
        public var quietMessage: String
        /// The line as written, to decide whether it may hold a secret; never shown.
        var text: String

        public var description: String { "line \(line): \(message)" }

        /// Whether the line names one of `names` or holds one of `values`: then only `quietMessage` may be shown.
        public func mentions(names: Set<String>, values: [String]) -> Bool {
            names.contains { text.contains($0) } || values.contains { !$0.isEmpty && text.contains($0) }
        }
    }

    /// Entries in file order (a key given twice appears twice; `values` keeps the last).
    public private(set) var entries: [Entry] = []
    public private(set) var problems: [Problem] = []

    /// The value of every key, the last assignment winning.
    public var values: [String: String] {
        var values: [String: String] = [:]
        for entry in entries { values[entry.key] = entry.value }
        return values
    }

    /// Keys assigned more than once, with the lines that assign them.
    public var duplicates: [String: [Int]] {
        Dictionary(grouping: entries, by: \.key).compactMapValues { $0.count > 1 ? $0.map(\.line) : nil }
    }

    public init(parsing text: String) {
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so split on newlines of every kind, not on "\n".
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            switch Self.parse(line: line) {
            case .empty:
                continue
            case .entry(let key, let value):
                entries.append(Entry(key: key, value: value, line: lineNumber))
            case .problem(let message, let quiet):
                problems.append(Problem(line: lineNumber, message: message, quietMessage: quiet, text: String(line)))
            }
        }
    }

    private enum LineResult {
        case empty
        case entry(key: String, value: String)
        /// What is wrong, and the same without the line's text.
        case problem(String, quiet: String)
    }

    private static func parse(line: Substring) -> LineResult {
        var rest = line.drop(while: \.isWhitespace)
        if rest.isEmpty || rest.first == "#" { return .empty }
        if rest.hasPrefix("export ") || rest.hasPrefix("export\t") {
            rest = rest.dropFirst("export".count).drop(while: \.isWhitespace)
        }
        guard let equals = rest.firstIndex(of: "=") else {
            return .problem(
                "expected KEY=VALUE, found \"\(truncated(line))\"",
                quiet: "expected KEY=VALUE; the line may hold a secret, so it is not shown")
        }
        let key = String(rest[..<equals].trimmingTrailingWhitespace())
        guard isValidKey(key) else {
            return .problem(
                "\"\(truncated(Substring(key)))\" is not a variable name (letters, digits and _, not starting with a digit)",
                quiet: "the text before = is not a variable name (letters, digits and _, not starting with a digit); the line may hold a secret, so it is not shown")
        }
        let rawValue = rest[rest.index(after: equals)...].drop(while: { $0 == " " || $0 == "\t" })
        switch parseValue(rawValue) {
        case .success(let value):
            return .entry(key: key, value: value)
        case .failure(let problem):
            return .problem("\(key): \(problem.message)", quiet: "\(key): \(problem.quietMessage)")
        }
    }

    private struct ValueProblem: Error {
        var message: String
        /// The same without any character of the value.
        var quietMessage: String

        init(_ message: String, quiet: String? = nil) {
            self.message = message
            self.quietMessage = quiet ?? message
        }
    }

    private static func parseValue(_ raw: Substring) -> Result<String, ValueProblem> {
        guard let quote = raw.first, quote == "\"" || quote == "'" else {
            // Unquoted: a comment starts at a `#` preceded by whitespace.
            var value = raw
            var previous: Character = " "
            for index in raw.indices {
                if raw[index] == "#" && (previous == " " || previous == "\t") {
                    value = raw[..<index]
                    break
                }
                previous = raw[index]
            }
            return .success(String(value.trimmingTrailingWhitespace()))
        }
        var value = ""
        var index = raw.index(after: raw.startIndex)
        var closed = false
        while index < raw.endIndex {
            let character = raw[index]
            if character == quote {
                closed = true
                index = raw.index(after: index)
                break
            }
            if quote == "\"" && character == "\\" {
                let next = raw.index(after: index)
                guard next < raw.endIndex else { break }
                switch raw[next] {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                case "\"": value.append("\"")
                case "\\": value.append("\\")
                case "$": value.append("$")
                default:
                    return .failure(ValueProblem(
                        "unknown escape \\\(BulwarkConfiguration.echo(String(raw[next]))) in a double-quoted value",
                        quiet: "an unknown escape (a backslash before a character other than n, t, r, \", \\ or $) in a double-quoted value"))
                }
                index = raw.index(after: next)
                continue
            }
            value.append(character)
            index = raw.index(after: index)
        }
        guard closed else {
            return .failure(ValueProblem("unterminated \(quote == "\"" ? "double" : "single") quote"))
        }
        let trailing = raw[index...].drop(while: { $0 == " " || $0 == "\t" })
        guard trailing.isEmpty || trailing.first == "#" else {
            return .failure(ValueProblem("unexpected text after the closing quote"))
        }
        // Strict: spaces inside the quotes around a value are a mistake far more often than meant; they
        // are refused, not trimmed (a quoted " 500 " is not 500).
        if let first = value.unicodeScalars.first, let last = value.unicodeScalars.last,
            first == " " || first == "\t" || last == " " || last == "\t"
        {
            return .failure(ValueProblem("the quoted value starts or ends with a space or tab; remove it (it is not trimmed)"))
        }
        return .success(value)
    }

    static func isValidKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return key.utf8.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }

    private static func truncated(_ text: Substring) -> String {
        text.count > 40 ? String(text.prefix(37)) + "..." : String(text)
    }
}

extension Substring {
    fileprivate func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[startIndex..<end]
    }
}
