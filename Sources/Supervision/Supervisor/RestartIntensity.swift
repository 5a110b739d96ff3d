import Primitives
/// The supervisor's restart rule for one service, as a pure state machine: each failure is recorded with
/// its time; while fewer than `maxRestarts` failures fall within the window the answer is a restart after
/// an exponential backoff (1 s doubling to 60 s, by the number of failures in the window), and at
/// `maxRestarts` failures within the window it gives up. Old failures slide out of the window, so a
/// service that fails now and then is restarted forever, one that crash-loops is not.
///
/// A given-up service may be tried again after a cool-off (`scheduleRetry(givenUpAt:)`, the supervisor
/// does so for supportive services): `initialCoolOff`, doubled each time it is given up again, up to
/// `maximumCoolOff`; once a retry has run a whole window without failing, the doubling starts afresh.
public struct RestartIntensity: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        case restart(after: Duration)
        case giveUp(failures: Int)
    }

    public var maxRestarts: Int
    public var window: Duration
    public var initialBackoff: Duration
    public var maximumBackoff: Duration
    /// Failure times within the window, oldest first.
    public private(set) var failures: [Timestamp] = []
    /// The wait before the first retry of a given-up service.
    public var initialCoolOff: Duration = .seconds(600)
    public var maximumCoolOff: Duration = .seconds(6 * 3600)
    /// Times given up since a retry last ran a whole window without failing.
    public private(set) var givenUp = 0
    /// When the last cool-off ends (the retry starts).
    private var retryAt: Timestamp?

    public init(maxRestarts: Int, window: Duration, initialBackoff: Duration = .seconds(1), maximumBackoff: Duration = .seconds(60)) {
        precondition(maxRestarts >= 1, "a service is restarted at least once")
        self.maxRestarts = maxRestarts
        self.window = window
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// Records a failure at `time` and says what to do.
    public mutating func recordFailure(at time: Timestamp) -> Action {
        if let retryAt, retryAt.duration(to: time) >= window {
            // The retry ran a whole window before this failure: the next give-up cools off from the start.
            givenUp = 0
            self.retryAt = nil
        }
        failures.removeAll { $0.duration(to: time) >= window }
        failures.append(time)
        guard failures.count < maxRestarts else { return .giveUp(failures: failures.count) }
        return .restart(after: backoff(forFailure: failures.count))
    }

    /// Forgets every failure (the operator revived the service).
    public mutating func reset() {
        failures.removeAll()
        givenUp = 0
        retryAt = nil
    }

    /// After a `.giveUp` at `time`: the cool-off before the service is tried again. Its failures are
    /// forgotten, so the retry has the full count before it is given up again (and cools off twice as long).
    public mutating func scheduleRetry(givenUpAt time: Timestamp) -> Duration {
        givenUp += 1
        let wait = coolOff(forGiveUp: givenUp)
        failures.removeAll()
        retryAt = time.advanced(by: wait)
        return wait
    }

    /// The cool-off ends early at `time` (its cause is gone): the retry runs from then.
    public mutating func retryEarly(at time: Timestamp) {
        if let retryAt, time < retryAt { self.retryAt = time }
    }

    /// The cool-off after the `n`-th give-up in a row (1-based): `initialCoolOff` × 2^(n − 1), capped.
    public func coolOff(forGiveUp n: Int) -> Duration {
        Self.doubled(initialCoolOff, times: n - 1, capped: maximumCoolOff)
    }

    /// The wait before the restart that follows the `n`-th failure in the window (1-based).
    public func backoff(forFailure n: Int) -> Duration {
        Self.doubled(initialBackoff, times: n - 1, capped: maximumBackoff)
    }

    /// `initial` × 2^`times` (no doubling for `times` ≤ 0), never above `cap`.
    private static func doubled(_ initial: Duration, times: Int, capped cap: Duration) -> Duration {
        var value = initial
        for _ in 0..<max(times, 0) {
            value = value * 2
            if value >= cap { return cap }
        }
        return min(value, cap)
    }
}
