/// The console cannot use this terminal. Equality compares the code only.
public struct TerminalError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case notATerminal, unusableTerminal, alreadyStarted
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Standard input or output is not a terminal (a pipe, a file, no TTY over SSH).
        public static let notATerminal = Code(.notATerminal)
        /// ncurses could not set up the terminal (`TERM` unset or unknown).
        public static let unusableTerminal = Code(.unusableTerminal)
        /// `start` was called on a screen that has already been started.
        public static let alreadyStarted = Code(.alreadyStarted)

        public var description: String {
            switch base {
            case .notATerminal: "not_a_terminal"
            case .unusableTerminal: "unusable_terminal"
            case .alreadyStarted: "already_started"
            }
        }
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: TerminalError, rhs: TerminalError) -> Bool { lhs.code == rhs.code }
}
