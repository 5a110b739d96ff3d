import Primitives

/// The dashboard could not do what was asked. The message says what and why; equality compares the code
/// only.
public struct DashboardError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case notLoopback, notRunning, runCalledTwice, cannotListen
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The host to listen on is not a loopback address: the dashboard never listens beyond this machine.
        public static let notLoopback = Code(.notLoopback)
        /// The server was asked for its address but is not listening (it failed to start, or it stopped).
        public static let notRunning = Code(.notRunning)
        /// It could not listen on its address (taken by another process, not allowed, not this machine's).
        public static let cannotListen = Code(.cannotListen)
        /// `run()` was called a second time on the same service.
        public static let runCalledTwice = Code(.runCalledTwice)

        public var description: String {
            switch base {
            case .notLoopback: "not_loopback"
            case .notRunning: "not_running"
            case .runCalledTwice: "run_called_twice"
            case .cannotListen: "cannot_listen"
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

    public static func == (lhs: DashboardError, rhs: DashboardError) -> Bool { lhs.code == rhs.code }
}

extension DashboardError: OperatorError {
    public var errorCode: String { "dashboard.\(code)" }
}
