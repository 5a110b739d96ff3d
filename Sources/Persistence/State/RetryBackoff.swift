import Primitives
/// When to try a failed operation again: a pure state machine over injected instants. Each failure
/// doubles the wait (from `initialDelay` up to `maximumDelay`); a success resets it. It never sleeps and
/// never reads a clock: the caller passes `now`, so tests drive it with a manual clock.
public struct RetryBackoff: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        /// Nothing to retry.
        case idle
        /// Try now.
        case attempt
        /// Try again at this instant, not before.
        case wait(until: Timestamp)
    }

    private enum State: Hashable, Sendable {
        case idle
        /// An attempt is wanted as soon as possible (nothing has failed yet).
        case due
        case backingOff(failures: Int, until: Timestamp)
    }

    public let initialDelay: Duration
    public let maximumDelay: Duration
    private var state: State = .idle

    public init(initialDelay: Duration = .seconds(1), maximumDelay: Duration = .seconds(60)) {
        precondition(initialDelay > .zero && maximumDelay >= initialDelay, "backoff delays must be positive and ordered")
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// How many attempts in a row have failed.
    public var consecutiveFailures: Int {
        if case .backingOff(let failures, _) = state { return failures }
        return 0
    }

    /// The earliest instant of the next attempt, if one is wanted.
    public func nextAttempt(after now: Timestamp) -> Timestamp? {
        switch state {
        case .idle: nil
        case .due: now
        case .backingOff(_, let until): until
        }
    }

    public func action(at now: Timestamp) -> Action {
        switch state {
        case .idle: .idle
        case .due: .attempt
        case .backingOff(_, let until): now >= until ? .attempt : .wait(until: until)
        }
    }

    /// Asks for an attempt as soon as possible, unless one is already scheduled after failures.
    public mutating func request() {
        if case .idle = state { state = .due }
    }

    /// Records a failed attempt at `now`; returns when the next one is due.
    @discardableResult
    public mutating func recordFailure(at now: Timestamp) -> Timestamp {
        let failures = consecutiveFailures + 1
        let until = now.advanced(by: delay(afterFailures: failures))
        state = .backingOff(failures: failures, until: until)
        return until
    }

    /// Records a successful attempt: nothing more to retry.
    public mutating func recordSuccess() {
        state = .idle
    }

    /// Stops retrying after a failure that retrying cannot mend (refused credentials, a broken contract):
    /// nothing is attempted until `request()`.
    public mutating func giveUp() {
        state = .idle
    }

    /// The wait after `failures` consecutive failures: initial × 2^(failures − 1), capped.
    public func delay(afterFailures failures: Int) -> Duration {
        var delay = initialDelay
        var step = 1
        while step < failures, delay < maximumDelay {
            delay *= 2
            step += 1
        }
        return min(delay, maximumDelay)
    }
}
