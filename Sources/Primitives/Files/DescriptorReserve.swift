#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The emergency reserve of file descriptors: a small ballast (descriptors on `/dev/null`, close-on-exec)
/// taken at start and given back the moment the process runs out, so the write that ran into the limit can
/// be tried again at once and succeed — whoever holds the rest (a local client, a leak, another library).
///
/// DETECT and CLASSIFY happen in `SystemError.describe`, the one place a system error becomes text: an
/// `EMFILE` or `ENFILE` from any file or socket operation calls `exhausted(errno:)`, which releases the
/// ballast and returns the cause in plain words. RESPOND: `retryingAfterRelease` runs a critical write once
/// more when its failure released the ballast; subscribers to `changes()` log it, mark health and shed what
/// they can. RECOVER: `refillIfFree()` takes the ballast back once descriptors are free again.
///
/// Descriptors belong to the process, so there is one reserve per process: `process`.
public final class DescriptorReserve: Sendable {
    /// What happened to the ballast.
    public enum Change: Sendable, Equatable {
        /// Descriptors ran out (`cause` says how many were open of what limit) and `count` were given back.
        case released(count: Int, cause: String)
        /// Descriptors are free again and the ballast of `count` is held again.
        case retaken(count: Int)
    }

    /// The reserve of this process.
    public static let process = DescriptorReserve()

    /// The ballast taken at start: enough for a state write, a health write and a couple of connections.
    public static let standardSize = 16

    private struct State {
        var ballast: [Int32] = []
        /// How many the ballast should hold (0 until `fill` is called).
        var size = 0
        /// Why it was last released, while it is not held again.
        var cause: String?
        var nextSubscriber = 0
        var subscribers: [Int: AsyncStream<Change>.Continuation] = [:]
    }

    private let state = Mutex(State())
    /// How many times the ballast was released: read on every critical write, so lock-free.
    private let releaseCount = Atomic<Int>(0)

    public init() {}

    /// Takes (or tops up, or cuts down to) a ballast of `size` descriptors; returns how many are held.
    @discardableResult
    public func fill(size: Int = DescriptorReserve.standardSize) -> Int {
        state.withLock { state in
            state.size = max(0, size)
            while state.ballast.count > state.size { close(state.ballast.removeLast()) }
            while state.ballast.count < state.size {
                let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { break }
                state.ballast.append(fd)
            }
            return state.ballast.count
        }
    }

    /// Descriptors held in the ballast now.
    public var held: Int { state.withLock { $0.ballast.count } }

    /// How many times the ballast has been released.
    public var releases: Int { releaseCount.load(ordering: .acquiring) }

    /// The cause of the last release while the ballast is not held again; nil while it is held.
    public var spentCause: String? { state.withLock { $0.cause } }

    /// A stream of what happens to the ballast from now on (newest kept; the reserve never waits).
    public func changes() -> AsyncStream<Change> {
        let (stream, continuation) = AsyncStream.makeStream(of: Change.self, bufferingPolicy: .bufferingNewest(8))
        let id = state.withLock { state in
            let id = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Called for an `EMFILE`/`ENFILE` (by `SystemError.describe`): gives the ballast back, tells the
    /// subscribers, and returns the cause in plain words. Safe under any lock: it only closes descriptors
    /// and yields to streams.
    func exhausted(errno code: Int32) -> String {
        let (released, subscribers) = state.withLock { state -> (Int, [AsyncStream<Change>.Continuation]) in
            let count = state.ballast.count
            for fd in state.ballast { close(fd) }
            state.ballast.removeAll()
            if count > 0 { releaseCount.add(1, ordering: .releasing) }
            return (count, Array(state.subscribers.values))
        }
        let cause = Self.cause(code, released: released)
        if released > 0 {
            state.withLock { $0.cause = cause }
            for subscriber in subscribers { subscriber.yield(.released(count: released, cause: cause)) }
        }
        return cause
    }

    /// Runs `operation`; when it fails and its failure released the ballast (descriptors ran out and are
    /// now free), runs it once more at once, instead of leaving it to a later retry.
    public func retryingAfterRelease<T, E: Error>(_ operation: () throws(E) -> T) throws(E) -> T {
        let mark = releases
        do {
            return try operation()
        } catch {
            guard releases != mark else { throw error }
            return try operation()
        }
    }

    /// Looks for the exhaustion itself instead of waiting for a write to meet it: one descriptor opened
    /// and closed; when none can be had the ballast is given back at once, as for any `EMFILE`. On Linux
    /// libdispatch's thread-pool monitor opens `/proc/<tid>/stat` while work waits for a thread, and
    /// ends the process when it cannot: a busy process with no descriptor left must not wait long.
    @discardableResult
    public func releaseIfExhausted() -> Bool {
        guard held > 0 else { return false }
        let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            close(fd)
            return false
        }
        let code = errno
        guard code == EMFILE || code == ENFILE else { return false }
        _ = exhausted(errno: code)
        return true
    }

    /// Takes the ballast back when it is short and descriptors are plainly free again: at least four
    /// ballasts' worth would still be left. Returns whether it was retaken now.
    @discardableResult
    public func refillIfFree() -> Bool {
        let (needed, size) = state.withLock { ($0.size - $0.ballast.count, $0.size) }
        guard needed > 0 else { return false }
        let limit = DescriptorLimit.current().soft
        guard let inUse = Self.openCount(limit: limit), limit - inUse >= needed + 4 * size else { return false }
        let (count, subscribers) = state.withLock { state -> (Int, [AsyncStream<Change>.Continuation]) in
            while state.ballast.count < state.size {
                let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { break }
                state.ballast.append(fd)
            }
            let full = state.ballast.count == state.size
            if full { state.cause = nil }
            return (full ? state.ballast.count : 0, Array(state.subscribers.values))
        }
        guard count > 0 else { return false }
        for subscriber in subscribers { subscriber.yield(.retaken(count: count)) }
        return true
    }

    /// "out of file descriptors (1024 open of limit 1024)", counting the ones just released as open.
    static func cause(_ code: Int32, released: Int) -> String {
        let limit = DescriptorLimit.current().soft
        let counted = openCount(limit: limit).map { "\($0 + released) open of limit \(limit)" } ?? "limit \(limit)"
        if code == ENFILE {
            return "the system is out of file descriptors: its open-file table is full (this process: \(counted))"
        }
        return "out of file descriptors (\(counted))"
    }

    /// How many descriptors the process has open: from `/proc/self/fd` when a descriptor is free to read
    /// it, otherwise by probing each number below the limit (up to 65,536).
    static func openCount(limit: Int) -> Int? {
        if let folder = opendir("/proc/self/fd") {
            defer { closedir(folder) }
            var count = 0
            while let entry = readdir(folder) {
                if entry.pointee.d_name.0 != 46 { count += 1 }  // not "." or ".."
            }
            return count - 1  // the folder's own descriptor
        }
        guard limit <= 1 << 16 else { return nil }
        return (0..<Int32(limit)).reduce(0) { $0 + (fcntl($1, F_GETFD) >= 0 ? 1 : 0) }
    }
}
