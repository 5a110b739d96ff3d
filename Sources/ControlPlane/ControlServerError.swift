import Primitives

/// Why the control socket could not be opened, in words for the operator.
public struct ControlServerError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable {
        private enum Value: Hashable, Sendable { case pathTooLong, notASocket, system }
        private let value: Value
        public static let pathTooLong = Code(value: .pathTooLong)
        public static let notASocket = Code(value: .notASocket)
        public static let system = Code(value: .system)

        /// The code's word: `path_too_long`.
        public var name: String {
            switch value {
            case .pathTooLong: "path_too_long"
            case .notASocket: "not_a_socket"
            case .system: "system"
            }
        }
    }

    public var code: Code
    public var message: String

    public var description: String { message }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension ControlServerError: OperatorError {
    public var errorCode: String { "control.\(code.name)" }
}
