/// The code of one kind of error: a stable lowercase word (`write_failed`, `not_loopback`), compared and
/// searched for, never parsed. Each error type lists its codes as static members of
/// `ErrorCode<ItsType>`, so a code of one type cannot be mistaken for another's and codes can be added
/// without breaking anyone who switches on them.
public struct ErrorCode<Domain>: Hashable, Sendable, CustomStringConvertible {
    /// The code's word.
    public let description: String

    public init(_ word: String) {
        description = word
    }
}

/// An error that is a code and a message for the operator (and, in some, more fields): Bulwark's error
/// types in one shape. It reads as its message, its `errorCode` is `domain.code`, and two are equal when
/// their codes are — what a test or a caller compares, never the wording.
public protocol CodedError: OperatorError, Hashable {
    /// The first half of `errorCode`: `state`, `dashboard`, `control`, `terminal`, `theme`.
    static var domain: String { get }
    var code: ErrorCode<Self> { get }
    var message: String { get }
}

extension CodedError {
    public var description: String { message }
    public var errorCode: String { "\(Self.domain).\(code)" }
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
