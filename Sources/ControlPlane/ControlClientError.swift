import Primitives

/// Why a `ControlClient` could not connect or a command got no answer, in words for the operator.
public struct ControlClientError: CodedError {
    public static let domain = "control"
    public typealias Code = ErrorCode<ControlClientError>

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    static func notRunning(_ socketPath: String) -> Self {
        let folder = socketPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return Self(code: .notRunning, message: "no Bulwark is running with \(folder.isEmpty ? "." : folder)/ (no control socket at \(socketPath))")
    }

    static let disconnected = Self(code: .disconnected, message: "the connection to Bulwark dropped before it answered")
}

extension ErrorCode where Domain == ControlClientError {
    /// No control socket, or nobody listening on it.
    public static var notRunning: Self { Self("not_running") }
    public static var permissionDenied: Self { Self("permission_denied") }
    /// The server said no (another user, too many clients, a version it does not speak).
    public static var refused: Self { Self("refused") }
    /// The connection dropped before the answer came.
    public static var disconnected: Self { Self("disconnected") }
    public static var timedOut: Self { Self("timed_out") }
    /// The server sent something this client cannot read.
    public static var protocolError: Self { Self("protocol_error") }
    public static var system: Self { Self("system") }
}
