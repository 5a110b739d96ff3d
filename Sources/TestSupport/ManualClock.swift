import Primitives
import Synchronization

/// A clock that moves only when a test says so. Sleepers wake when `advance` passes their deadline;
/// nothing in a test that uses it waits for real time.
public final class ManualClock: WallClock {
    private struct Sleeper {
        let id: UInt64
        let deadline: Timestamp
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Timestamp
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
        var cancelled: Set<UInt64> = []
    }

    private let state: Mutex<State>

    public init(now: Timestamp = Timestamp(rfc3339: "2026-01-05T14:30:00Z")!) {
        self.state = Mutex(State(now: now))
    }

    public var now: Timestamp { state.withLock { $0.now } }
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// How many tasks are sleeping on this clock right now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline a task sleeps until, if any sleeps.
    public var nextDeadline: Timestamp? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    /// Waits (yielding, never sleeping) until `count` tasks sleep on this clock; false if that has not
    /// happened within `deadline` of real time — a bound so a broken test fails instead of hanging.
    @discardableResult
    public func waitForSleepers(_ count: Int = 1, deadline: Duration = .seconds(20)) async -> Bool {
        let giveUp = ContinuousClock.now.advanced(by: deadline)
        while sleeperCount < count {
            if ContinuousClock.now > giveUp { return false }
            await Task.yield()
        }
        return true
    }

    public func sleep(until deadline: Timestamp, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resume: Result<Void, any Error>? = state.withLock { state in
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let resume { continuation.resume(with: resume) }
            }
        } onCancel: {
            let sleeper: Sleeper? = state.withLock { state in
                if let index = state.sleepers.firstIndex(where: { $0.id == id }) {
                    return state.sleepers.remove(at: index)
                }
                state.cancelled.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come, earliest first.
    public func advance(by duration: Duration) {
        let due: [Sleeper] = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Sets the time (forward only), waking sleepers as `advance` does.
    public func advance(to instant: Timestamp) {
        advance(by: now.duration(to: instant))
    }
}

/// Runs `body` while moving `clock` to each deadline a task sleeps until, so code that waits on the
/// clock (backoff, polling) runs at once without the test sleeping. A body still running after
/// `deadline` of real time is cancelled, so a broken test fails instead of spinning forever.
public func drive<T: Sendable>(
    _ clock: ManualClock, deadline: Duration = .seconds(60), _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let task = Task { try await body() }
    let driver = Task {
        let giveUp = ContinuousClock.now.advanced(by: deadline)
        while !Task.isCancelled {
            if ContinuousClock.now > giveUp {
                task.cancel()
                return
            }
            if let deadline = clock.nextDeadline { clock.advance(to: deadline) }
            await Task.yield()
        }
    }
    defer { driver.cancel() }
    return try await task.value
}
