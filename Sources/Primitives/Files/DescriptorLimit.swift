#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open file descriptors (`RLIMIT_NOFILE`). Trading needs descriptors for its state
/// file, journal, logs and broker connections; the HTTP servers size their connection limits from what is
/// left, so a local client can never take them all.
public enum DescriptorLimit {
    public struct Limits: Sendable, Equatable {
        /// The limit in force.
        public var soft: Int
        /// The ceiling the soft limit may be raised to without privileges.
        public var hard: Int
    }

    /// The limits now in force (1,024 both if they cannot be read).
    public static func current() -> Limits {
        var limit = rlimit()
        guard getrlimit(resourceLimit, &limit) == 0 else { return Limits(soft: 1024, hard: 1024) }
        return Limits(soft: clamp(limit.rlim_cur), hard: clamp(limit.rlim_max))
    }

    /// Raises the soft limit to the hard limit where the system allows it, and returns the limits in force
    /// afterwards. Never lowers anything; a refusal leaves the limits as they were.
    @discardableResult
    public static func raiseSoftToHard() -> Limits {
        var limit = rlimit()
        guard getrlimit(resourceLimit, &limit) == 0 else { return current() }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resourceLimit, &raised) != 0 {
                // Some systems refuse RLIM_INFINITY or values above their own ceiling: try a large finite one.
                raised.rlim_cur = min(limit.rlim_max, 1 << 20)
                _ = setrlimit(resourceLimit, &raised)
            }
        }
        return current()
    }

    #if canImport(Glibc)
    private static let resourceLimit = __rlimit_resource_t(UInt32(RLIMIT_NOFILE.rawValue))
    #else
    private static let resourceLimit = RLIMIT_NOFILE
    #endif

    private static func clamp(_ value: rlim_t) -> Int {
        value > rlim_t(Int32.max) ? Int(Int32.max) : Int(value)
    }
}
