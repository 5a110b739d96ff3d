#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place a system error number becomes operator text, for every file and socket operation of the
/// core (state, journal, health, heartbeat, logs; the API clients' sockets). It also classifies: running out
/// of file descriptors (`EMFILE`, `ENFILE`) is its own fault, named with the count and the limit —
/// "out of file descriptors (1024 open of limit 1024)" — and detected here, so the emergency reserve is
/// released whichever operation ran into it first (see `DescriptorReserve`).
public enum SystemError {
    /// Whether `code` means the process (or the system) has no file descriptor left.
    public static func isDescriptorExhaustion(_ code: Int32) -> Bool {
        code == EMFILE || code == ENFILE
    }

    /// `strerror`'s text ("Permission denied"), or, for descriptor exhaustion, the cause with the count and
    /// the limit — after releasing the emergency reserve.
    public static func describe(_ code: Int32) -> String {
        guard isDescriptorExhaustion(code) else { return String(cString: strerror(code)) }
        return DescriptorReserve.process.exhausted(errno: code)
    }
}
