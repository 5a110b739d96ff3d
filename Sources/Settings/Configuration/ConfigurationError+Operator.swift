import Primitives

extension ConfigurationError: OperatorError {
    public var errorCode: String { "config.invalid" }
}
