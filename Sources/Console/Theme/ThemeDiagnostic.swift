/// A problem found in a theme file: an error makes the file unusable, a warning does not.
public struct ThemeDiagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable {
        case error, warning
    }

    public var severity: Severity
    /// 1-based.
    public var line: Int
    public var message: String

    public init(_ severity: Severity, line: Int, _ message: String) {
        self.severity = severity
        self.line = line
        self.message = message
    }

    /// `line 3: error: unknown colour 'pink'`.
    public var description: String { "line \(line): \(severity.rawValue): \(message)" }

    /// `FILE:LINE: severity: message`, as compilers print it.
    public func formatted(file: String) -> String { "\(file):\(line): \(severity.rawValue): \(message)" }
}
