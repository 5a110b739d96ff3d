import Synchronization

/// A flag that is set once and never cleared: "stop now", raised from a graceful-shutdown handler (or any
/// thread) and read, without waiting, by the code that would otherwise go on.
public final class StopLatch: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    /// Raises the latch; returns whether this call raised it (false when it already was).
    @discardableResult
    public func raise() -> Bool {
        !raised.exchange(true, ordering: .sequentiallyConsistent)
    }

    public var isRaised: Bool { raised.load(ordering: .sequentiallyConsistent) }
}
