import Synchronization

/// A value shared between tasks behind a lock: for the few places that need a mutable cell a closure can
/// capture (a `Mutex` cannot be captured, being noncopyable). Keep sections short; nothing waits inside.
public final class LockedBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) {
        mutex = Mutex(value)
    }

    public var value: Value {
        get { mutex.withLock { $0 } }
        set { mutex.withLock { $0 = newValue } }
    }

    /// Changes the value in place under the lock; returns what `body` returns.
    @discardableResult
    public func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}
