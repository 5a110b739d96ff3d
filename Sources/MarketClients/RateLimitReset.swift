import Foundation
import Primitives

/// How long to wait after a 429 before the next attempt, from the response headers.
public enum RateLimitReset {
    /// `X-Ratelimit-Reset` (unix seconds) first, then `Retry-After` (delta seconds); the wait is never
    /// negative and never longer than `cap`. With neither header, `fallback`.
    public static func wait(
        headers: [(name: String, value: String)], now: Timestamp, fallback: Duration = .seconds(1),
        cap: Duration = .seconds(60)
    ) -> Duration {
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name }?.value.trimmingCharacters(in: .whitespaces)
        }
        var wait = fallback
        if let reset = header("x-ratelimit-reset").flatMap(Int64.init) {
            wait = now.duration(to: .seconds(reset))
        } else if let seconds = header("retry-after").flatMap(Int64.init) {
            wait = .seconds(seconds)
        }
        return min(max(wait, .zero), cap)
    }
}
