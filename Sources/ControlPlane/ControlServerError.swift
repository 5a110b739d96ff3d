import Primitives

/// Why the control socket could not be opened, in words for the operator.
public struct ControlServerError: CodedError {
    public static let domain = "control"
    public typealias Code = ErrorCode<ControlServerError>

    public var code: Code
    public var message: String
}

extension ErrorCode where Domain == ControlServerError {
    public static var pathTooLong: Self { Self("path_too_long") }
    public static var notASocket: Self { Self("not_a_socket") }
    public static var system: Self { Self("system") }
}
