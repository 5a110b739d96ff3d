#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Chaos `fd_exhaustion`: a hog inside the process that opens descriptors (on `/dev/null`, close-on-exec)
/// until the system refuses one, and holds them — the stand-in for a local client, a leak or another
/// library taking every descriptor. It reads `errno` itself rather than through `SystemError`, so the
/// hog's own refusal is not what releases the emergency reserve: the core must find out on its own.
public final class DescriptorHog: Sendable {
    /// How long the mode holds the descriptors before it lets them go and switches itself off.
    public static let standardHold: Duration = .seconds(20)

    /// Opens at most this many, so a huge limit does not turn the rehearsal into a memory test.
    public static let maximum = 1 << 18

    private let held = Mutex<[Int32]>([])

    public init() {}

    /// Opens descriptors until none is left (or `maximum`); returns how many it holds.
    @discardableResult
    public func seize() -> Int {
        held.withLock { held in
            while held.count < Self.maximum {
                let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
                if fd < 0 {
                    if errno == EINTR { continue }
                    break
                }
                held.append(fd)
            }
            return held.count
        }
    }

    /// Descriptors held now.
    public var count: Int { held.withLock { $0.count } }

    /// Closes everything held; returns how many it let go.
    @discardableResult
    public func release() -> Int {
        held.withLock { held in
            for fd in held { close(fd) }
            defer { held.removeAll() }
            return held.count
        }
    }

    deinit { release() }
}
