/// A theme file could not be used. The message names the file; `diagnostics` hold each error with its
/// line. Equality compares the code only.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case unreadable, invalid
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The file exists but could not be read.
        public static let unreadable = Code(.unreadable)
        /// The file has at least one error (bad colour, bad attribute, a line without `=`).
        public static let invalid = Code(.invalid)

        public var description: String {
            switch base {
            case .unreadable: "unreadable"
            case .invalid: "invalid"
            }
        }
    }

    public var code: Code
    public var message: String
    /// The file's problems (errors and warnings), in line order.
    public var diagnostics: [ThemeDiagnostic]

    public init(code: Code, message: String, diagnostics: [ThemeDiagnostic] = []) {
        self.code = code
        self.message = message
        self.diagnostics = diagnostics
    }

    public var description: String { message }

    public static func == (lhs: ThemeError, rhs: ThemeError) -> Bool { lhs.code == rhs.code }
}
