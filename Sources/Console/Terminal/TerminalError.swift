import Primitives

/// The console cannot use this terminal. Equality compares the code only.
public struct TerminalError: CodedError {
    public static let domain = "terminal"
    public typealias Code = ErrorCode<TerminalError>

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == TerminalError {
    /// Standard input or output is not a terminal (a pipe, a file, no TTY over SSH).
    public static var notATerminal: Self { Self("not_a_terminal") }
    /// ncurses could not set up the terminal (`TERM` unset or unknown).
    public static var unusableTerminal: Self { Self("unusable_terminal") }
    /// `start` was called on a screen that has already been started.
    public static var alreadyStarted: Self { Self("already_started") }
}
