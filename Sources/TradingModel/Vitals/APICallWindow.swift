import Primitives
import Synchronization

/// Every API attempt of the last minute, per API: what the vital signs' latency percentiles and error
/// counts are made from. The requester records each attempt (answered or failed); `vitals(at:)` reads.
/// Bounded: at most `capacity` attempts per API are kept (the oldest go first).
public final class APICallWindow: Sendable {
    /// The APIs, in the order the vital signs list them.
    public static let apis = ["alpaca", "alpaca-data", "unusual-whales"]

    private struct Call {
        var at: Timestamp
        var latency: Duration
        var failed: Bool
    }

    private struct Calls {
        var recent: [Call] = []
        var lastSuccess: Timestamp?
    }

    public let window: Duration
    public let capacity: Int
    private let calls = Mutex<[String: Calls]>([:])

    public init(window: Duration = .seconds(60), capacity: Int = 4096) {
        self.window = window
        self.capacity = capacity
    }

    /// Records one attempt that ended at `at` after `latency`.
    public func record(api: String, latency: Duration, failed: Bool, at: Timestamp) {
        calls.withLock { all in
            var entry = all[api] ?? Calls()
            entry.recent.append(Call(at: at, latency: latency, failed: failed))
            if entry.recent.count > capacity { entry.recent.removeFirst(entry.recent.count - capacity) }
            if !failed { entry.lastSuccess = max(entry.lastSuccess ?? at, at) }
            all[api] = entry
        }
    }

    /// The figures of each API (the known ones first, then any other, by name) over the window ending at `now`.
    public func vitals(at now: Timestamp) -> [APIVitals] {
        let start = now.advanced(by: .zero - window)
        return calls.withLock { all in
            for (api, entry) in all {
                var entry = entry
                entry.recent.removeAll { $0.at < start }
                all[api] = entry
            }
            let others = all.keys.filter { !Self.apis.contains($0) }.sorted()
            return (Self.apis + others).map { api in
                guard let entry = all[api] else { return APIVitals(api: api) }
                let latencies = entry.recent.map(\.latency).sorted()
                return APIVitals(
                    api: api, calls: entry.recent.count, errors: entry.recent.count { $0.failed },
                    p50: Self.percentile(latencies, 0.50), p99: Self.percentile(latencies, 0.99), lastSuccess: entry.lastSuccess)
            }
        }
    }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Duration], _ fraction: Double) -> Duration? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }
}
