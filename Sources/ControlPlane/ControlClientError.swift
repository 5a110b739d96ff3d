import Primitives

/// Why a `ControlClient` could not connect or a command got no answer, in words for the operator.
public struct ControlClientError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable {
        private enum Value: Hashable, Sendable { case notRunning, permissionDenied, refused, disconnected, timedOut, protocolError, system }
        private let value: Value
        /// No control socket, or nobody listening on it.
        public static let notRunning = Code(value: .notRunning)
        public static let permissionDenied = Code(value: .permissionDenied)
        /// The server said no (another user, too many clients, a version it does not speak).
        public static let refused = Code(value: .refused)
        /// The connection dropped before the answer came.
        public static let disconnected = Code(value: .disconnected)
        public static let timedOut = Code(value: .timedOut)
        /// The server sent something this client cannot read.
        public static let protocolError = Code(value: .protocolError)
        public static let system = Code(value: .system)

        /// The code's word: `not_running`, `timed_out`.
        public var name: String {
            switch value {
            case .notRunning: "not_running"
            case .permissionDenied: "permission_denied"
            case .refused: "refused"
            case .disconnected: "disconnected"
            case .timedOut: "timed_out"
            case .protocolError: "protocol_error"
            case .system: "system"
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

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    static func notRunning(_ socketPath: String) -> Self {
        let folder = socketPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return Self(code: .notRunning, message: "no Bulwark is running with \(folder.isEmpty ? "." : folder)/ (no control socket at \(socketPath))")
    }

    static let disconnected = Self(code: .disconnected, message: "the connection to Bulwark dropped before it answered")
}

extension ControlClientError: OperatorError {
    public var errorCode: String { "control.\(code.name)" }
}
