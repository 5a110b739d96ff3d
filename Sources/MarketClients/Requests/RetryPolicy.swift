import Primitives

/// How transient failures are retried: exponential backoff with jitter, a number of attempts, and a
/// deadline on the whole call. Pure: the jitter comes from the generator it is given.
public struct RetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// No attempt starts after this much time since the first.
    public var totalDeadline: Duration
    /// Each attempt's own timeout.
    public var attemptTimeout: Duration
    /// The longest wait a 429's reset headers may impose before the next attempt.
    public var rateLimitWaitCap: Duration

    public init(
        maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(4),
        totalDeadline: Duration = .seconds(30), attemptTimeout: Duration = .seconds(10),
        rateLimitWaitCap: Duration = .seconds(60)
    ) {
        precondition(maxAttempts >= 1, "a policy makes at least one attempt")
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.totalDeadline = totalDeadline
        self.attemptTimeout = attemptTimeout
        self.rateLimitWaitCap = rateLimitWaitCap
    }

    /// The wait after failed attempt `attempt` (1-based): half of `base × 2^(attempt−1)` (capped) plus a
    /// random part up to the other half ("equal jitter"), so retries never synchronise and never wait 0.
    public func backoff(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        var delay = baseDelay
        for _ in 1..<max(1, attempt) where delay < maxDelay { delay = delay * 2 }
        delay = min(delay, maxDelay)
        let half = delay.nanoseconds / 2
        let jitter = half > 0 ? Int64.random(in: 0...half, using: &generator) : 0
        return .nanoseconds(half + jitter)
    }
}
