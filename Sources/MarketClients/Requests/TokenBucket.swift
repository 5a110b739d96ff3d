import Primitives
import Synchronization

/// A client-side rate limiter, so Bulwark never provokes 429s by itself: a bucket of `capacity` tokens
/// refilled at `capacity` per `period`. Alpaca allows 200 requests a minute per key; the default takes
/// that whole budget for the trading client, and `share` takes less where several clients share a key.
public struct TokenBucket: Sendable, Hashable {
    public let capacity: Double
    public let period: Duration
    private var tokens: Double
    private var updatedAt: Timestamp

    public init(requestsPerPeriod: Int = 200, period: Duration = .seconds(60), share: Double = 1, now: Timestamp) {
        precondition(requestsPerPeriod > 0 && share > 0 && share <= 1, "a rate limit needs a positive budget")
        self.capacity = max(1, (Double(requestsPerPeriod) * share).rounded(.down))
        self.period = period
        self.tokens = capacity
        self.updatedAt = now
    }

    /// Takes a token and returns nil, or returns how long to wait before one is available.
    public mutating func take(at now: Timestamp) -> Duration? {
        refill(at: now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        let secondsPerToken = period.seconds / capacity
        return .nanoseconds(Int64(((1 - tokens) * secondsPerToken * 1e9).rounded(.up)))
    }

    public func available(at now: Timestamp) -> Double {
        var copy = self
        copy.refill(at: now)
        return copy.tokens
    }

    private mutating func refill(at now: Timestamp) {
        let elapsed = updatedAt.duration(to: now)
        guard elapsed > .zero else { return }
        tokens = min(capacity, tokens + elapsed.seconds / period.seconds * capacity)
        updatedAt = now
    }
}

/// A token bucket shared by the clients that use one key, waiting on the injected clock.
public final class RateLimiter: Sendable {
    private let bucket: Mutex<TokenBucket>
    private let clock: any WallClock

    public init(requestsPerMinute: Int = 200, share: Double = 1, clock: any WallClock) {
        self.clock = clock
        self.bucket = Mutex(TokenBucket(requestsPerPeriod: requestsPerMinute, period: .seconds(60), share: share, now: clock.now))
    }

    /// Returns when a request may be sent.
    public func acquire() async throws {
        while true {
            let now = clock.now
            guard let wait = bucket.withLock({ $0.take(at: now) }) else { return }
            try await clock.sleep(for: wait)
        }
    }
}
