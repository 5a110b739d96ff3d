import Foundation

/// A clock whose instants are wall-clock `Timestamp`s. Every time-dependent part of Bulwark holds one,
/// injected: `SystemClock` in production, a manual clock in tests.
public protocol WallClock: Clock, Sendable where Instant == Timestamp, Duration == Swift.Duration {}

/// The real clock: reads `CLOCK_REALTIME`; sleeps on the continuous clock so a wall-clock jump
/// cannot make a sleep last for hours.
public struct SystemClock: WallClock {
    public init() {}

    public var now: Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(sinceEpoch: .seconds(Int64(spec.tv_sec)) + .nanoseconds(Int64(spec.tv_nsec)))
    }

    public var minimumResolution: Duration { .nanoseconds(1) }

    public func sleep(until deadline: Timestamp, tolerance: Duration?) async throws {
        let remaining = now.duration(to: deadline)
        guard remaining > .zero else { return }
        try await ContinuousClock().sleep(for: remaining, tolerance: tolerance)
    }
}
