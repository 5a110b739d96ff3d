import Foundation
import Synchronization

/// Time this process has spent waiting in `fsync(2)`, for benchmarks that report what share of their time
/// durability costs. One atomic add per call: cheap next to the fsync it measures.
public enum SyncStatistics {
    private static let nanoseconds = Atomic<Int64>(0)
    private static let calls = Atomic<Int64>(0)

    /// `fsync(fd)`, timed.
    package static func fsync(_ fd: Int32) -> Int32 {
        let start = ContinuousClock.now
        let result = Foundation.fsync(fd)
        nanoseconds.add((ContinuousClock.now - start).nanoseconds, ordering: .relaxed)
        calls.add(1, ordering: .relaxed)
        return result
    }

    /// Total time in fsync and number of calls since the process started.
    public static var total: (time: Duration, calls: Int64) {
        (.nanoseconds(nanoseconds.load(ordering: .relaxed)), calls.load(ordering: .relaxed))
    }
}
