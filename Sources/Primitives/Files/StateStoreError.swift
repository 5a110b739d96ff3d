/// The state store could not do what was asked. The message names the file and what was wrong;
/// equality compares the code only.
public struct StateStoreError: CodedError {
    public static let domain = "state"
    public typealias Code = ErrorCode<StateStoreError>

    public var code: Code
    public var message: String
    /// The system error number behind it, if there was one.
    public var errno: Int32?

    public init(code: Code, message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }
}

extension ErrorCode where Domain == StateStoreError {
    /// The file was written by a newer Bulwark; it is left untouched.
    public static var newerSchema: Self { Self("newer_schema") }
    /// The state could not be written durably (disk full, permissions, something in the way).
    public static var writeFailed: Self { Self("write_failed") }
    /// The state folder or file could not be used at all (not even set aside).
    public static var unreadable: Self { Self("unreadable") }
    /// A change would have made the state invalid; it was not applied.
    public static var invalidState: Self { Self("invalid_state") }
    /// The store belongs to a core generation that was torn down: nothing more is written through it.
    public static var retired: Self { Self("retired") }
}
