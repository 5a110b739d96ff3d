import Primitives

/// Alpaca's limit of N requests a minute per key, as fixed one-minute windows that start at a key's
/// first request. Pure: the server keeps one behind a lock and passes the injected clock's time.
struct RateLimitWindow: Sendable {
    struct Decision: Sendable, Equatable {
        var allowed: Bool
        var limit: Int
        var remaining: Int
        /// Unix seconds when the window ends.
        var reset: Int64
    }

    private struct Window {
        var start: Timestamp
        var used: Int
    }

    let limit: Int
    let window: Duration
    private var windows: [String: Window] = [:]

    init(limit: Int, window: Duration = .seconds(60)) {
        self.limit = limit
        self.window = window
    }

    /// Counts one request of `key` at `now`.
    mutating func admit(key: String, now: Timestamp) -> Decision {
        if windows.count > 10_000 { windows = windows.filter { now < $0.value.start.advanced(by: window) } }
        var current = windows[key] ?? Window(start: now, used: 0)
        if now >= current.start.advanced(by: window) || now < current.start {
            current = Window(start: now, used: 0)
        }
        let allowed = current.used < limit
        if allowed { current.used += 1 }
        windows[key] = current
        return Decision(allowed: allowed, limit: limit, remaining: limit - current.used, reset: Self.unixSeconds(current.start.advanced(by: window)))
    }

    /// Unix seconds, rounded up so a client that waits until then is inside the next window.
    static func unixSeconds(_ time: Timestamp) -> Int64 {
        let (seconds, nanoseconds) = time.epochComponents
        return nanoseconds > 0 ? seconds + 1 : seconds
    }
}
