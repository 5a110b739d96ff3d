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

    /// A task in `waitForSleepers`, resumed with true once `count` tasks sleep, or false at its deadline.
    private struct Waiter {
        let id: UInt64
        let count: Int
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var now: Timestamp
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
        var cancelled: Set<UInt64> = []
        var waiters: [Waiter] = []
        var finishedWaiters: Set<UInt64> = []

        /// Takes out the waiters whose count the sleepers now reach.
        mutating func satisfiedWaiters() -> [Waiter] {
            let count = sleepers.count
            let satisfied = waiters.filter { $0.count <= count }
            waiters.removeAll { $0.count <= count }
            return satisfied
        }

        /// Takes out the waiter `id`, if still waiting; otherwise remembers it ended, for one registering late.
        mutating func removeWaiter(_ id: UInt64) -> Waiter? {
            if let index = waiters.firstIndex(where: { $0.id == id }) { return waiters.remove(at: index) }
            finishedWaiters.insert(id)
            return nil
        }
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

    /// Suspends until `count` tasks sleep on this clock (each sleeper registering resumes the waiters whose
    /// count it reaches); false if that has not happened within `deadline` of real time, or the waiting task
    /// is cancelled — a bound so a broken test fails instead of hanging. Nothing spins meanwhile.
    @discardableResult
    public func waitForSleepers(_ count: Int = 1, deadline: Duration = .seconds(20)) async -> Bool {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task { [weak self] in
            try await Task.sleep(for: deadline)
            self?.endWait(id, reached: false)
        }
        defer {
            timer.cancel()
            state.withLock { _ = $0.finishedWaiters.remove(id) }
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let answer: Bool? = state.withLock { state in
                    if state.finishedWaiters.remove(id) != nil { return false }
                    if state.sleepers.count >= count { return true }
                    state.waiters.append(Waiter(id: id, count: count, continuation: continuation))
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            endWait(id, reached: false)
        }
    }

    /// Resumes the waiter `id` (at its deadline or on cancellation) unless a sleeper already has.
    private func endWait(_ id: UInt64, reached: Bool) {
        state.withLock { $0.removeWaiter(id) }?.continuation.resume(returning: reached)
    }

    public func sleep(until deadline: Timestamp, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (resume, satisfied): (Result<Void, any Error>?, [Waiter]) = state.withLock { state in
                    if state.cancelled.remove(id) != nil { return (.failure(CancellationError()), []) }
                    if deadline <= state.now { return (.success(()), []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (nil, state.satisfiedWaiters())
                }
                if let resume { continuation.resume(with: resume) }
                for waiter in satisfied { waiter.continuation.resume(returning: true) }
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
/// clock (backoff, polling) runs at once without the test sleeping. The driver suspends until a task
/// sleeps (`waitForSleepers`), never spinning. A body still running after `deadline` of real time is
/// cancelled, so a broken test fails instead of hanging.
///
/// `sleepers`: how many tasks must be asleep on the clock before it moves. With the default, one, time
/// moves as soon as any task sleeps — and may run ahead of a task that was woken but has not run yet.
/// When the body runs several tasks that each sleep in turn (an engine's loop and its order follower),
/// name them all, so time moves only once every one of them has had its turn.
public func drive<T: Sendable>(
    _ clock: ManualClock, deadline: Duration = .seconds(60), sleepers: Int = 1, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let task = Task { try await body() }
    let driver = Task {
        let giveUp = ContinuousClock.now.advanced(by: deadline)
        while !Task.isCancelled {
            let left = ContinuousClock.now.duration(to: giveUp)
            guard left > .zero, await clock.waitForSleepers(sleepers, deadline: left) else {
                if !Task.isCancelled { task.cancel() }
                return
            }
            if let next = clock.nextDeadline { clock.advance(to: next) }
            // Lets the tasks just woken run before time moves again (once per advance, not a spin).
            await Task.yield()
        }
    }
    defer { driver.cancel() }
    return try await task.value
}
