import Primitives

/// A theme file could not be used. The message names the file; `diagnostics` hold each error with its
/// line. Equality compares the code only.
public struct ThemeError: CodedError {
    public static let domain = "theme"
    public typealias Code = ErrorCode<ThemeError>

    public var code: Code
    public var message: String
    /// The file's problems (errors and warnings), in line order.
    public var diagnostics: [ThemeDiagnostic]

    public init(code: Code, message: String, diagnostics: [ThemeDiagnostic] = []) {
        self.code = code
        self.message = message
        self.diagnostics = diagnostics
    }
}

extension ErrorCode where Domain == ThemeError {
    /// The file exists but could not be read.
    public static var unreadable: Self { Self("unreadable") }
    /// The file has at least one error (bad colour, bad attribute, a line without `=`).
    public static var invalid: Self { Self("invalid") }
}
