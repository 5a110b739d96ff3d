/// The state store could not do what was asked. The message names the file and what was wrong;
/// equality compares the code only.
public struct StateStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case newerSchema, writeFailed, unreadable, invalidState, retired
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The file was written by a newer Bulwark; it is left untouched.
        public static let newerSchema = Code(.newerSchema)
        /// The state could not be written durably (disk full, permissions, something in the way).
        public static let writeFailed = Code(.writeFailed)
        /// The state folder or file could not be used at all (not even set aside).
        public static let unreadable = Code(.unreadable)
        /// A change would have made the state invalid; it was not applied.
        public static let invalidState = Code(.invalidState)
        /// The store belongs to a core generation that was torn down: nothing more is written through it.
        public static let retired = Code(.retired)

        public var description: String {
            switch base {
            case .newerSchema: "newer_schema"
            case .writeFailed: "write_failed"
            case .unreadable: "unreadable"
            case .invalidState: "invalid_state"
            case .retired: "retired"
            }
        }
    }

    public var code: Code
    public var message: String
    /// The system error number behind it, if there was one.
    public var errno: Int32?

    public init(code: Code, message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    public var description: String { message }

    public static func == (lhs: StateStoreError, rhs: StateStoreError) -> Bool { lhs.code == rhs.code }
}
