import Primitives
/// The supervisor's restart rule for one service, as a pure state machine: each failure is recorded with
/// its time; while fewer than `maxRestarts` failures fall within the window the answer is a restart after
/// an exponential backoff (1 s doubling to 60 s, by the number of failures in the window), and at
/// `maxRestarts` failures within the window it gives up. Old failures slide out of the window, so a
/// service that fails now and then is restarted forever, one that crash-loops is not.
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

    public init(maxRestarts: Int, window: Duration, initialBackoff: Duration = .seconds(1), maximumBackoff: Duration = .seconds(60)) {
        precondition(maxRestarts >= 1, "a service is restarted at least once")
        self.maxRestarts = maxRestarts
        self.window = window
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// Records a failure at `time` and says what to do.
    public mutating func recordFailure(at time: Timestamp) -> Action {
        failures.removeAll { $0.duration(to: time) >= window }
        failures.append(time)
        guard failures.count < maxRestarts else { return .giveUp(failures: failures.count) }
        return .restart(after: backoff(forFailure: failures.count))
    }

    /// Forgets every failure (the operator revived the service).
    public mutating func reset() {
        failures.removeAll()
    }

    /// The wait before the restart that follows the `n`-th failure in the window (1-based).
    public func backoff(forFailure n: Int) -> Duration {
        var delay = initialBackoff
        for _ in 1..<max(n, 1) {
            delay = delay * 2
            if delay >= maximumBackoff { return maximumBackoff }
        }
        return min(delay, maximumBackoff)
    }
}
