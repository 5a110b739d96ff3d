import Primitives

/// The dashboard could not do what was asked. The message says what and why; equality compares the code
/// only.
public struct DashboardError: CodedError {
    public static let domain = "dashboard"
    public typealias Code = ErrorCode<DashboardError>

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == DashboardError {
    /// The host to listen on is not a loopback address: the dashboard never listens beyond this machine.
    public static var notLoopback: Self { Self("not_loopback") }
    /// The server was asked for its address but is not listening (it failed to start, or it stopped).
    public static var notRunning: Self { Self("not_running") }
    /// It could not listen on its address (taken by another process, not allowed, not this machine's).
    public static var cannotListen: Self { Self("cannot_listen") }
    /// `run()` was called a second time on the same service.
    public static var runCalledTwice: Self { Self("run_called_twice") }
}
