import Primitives
import Synchronization

/// The replay's clock: it reads the time of the event being replayed, set by the replay loop, and never
/// waits — a sleep returns at once (the loop, not a timer, moves time on). It never goes backwards.
public final class SimulatedClock: WallClock {
    private let current: Mutex<Timestamp>

    public init(start: Timestamp) {
        current = Mutex(start)
    }

    public var now: Timestamp { current.withLock { $0 } }

    public var minimumResolution: Duration { .nanoseconds(1) }

    /// Moves the clock to `time` (no earlier than it is).
    public func set(_ time: Timestamp) {
        current.withLock { $0 = max($0, time) }
    }

    public func sleep(until deadline: Timestamp, tolerance: Duration?) async throws {
        try Task.checkCancellation()
    }
}
