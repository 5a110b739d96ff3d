#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The few POSIX calls the control socket needs, with errors as words.
enum UnixSocket {
    /// The longest socket path the kernel takes (`sun_path`, less its terminating zero).
    static var maximumPathBytes: Int { MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1 }

    struct Failure: Error, Sendable {
        var call: String
        var code: Int32

        var reason: String { String(cString: strerror(code)) }
    }

    /// A stream socket, close-on-exec.
    static func make() throws(Failure) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket", code: errno) }
        return fd
    }

    /// Calls `body` with the address of `path`; nil when the path does not fit `sun_path`.
    static func withAddress<T>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T? {
        let bytes = Array(path.utf8)
        guard bytes.count <= maximumPathBytes else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    /// The uid and pid of the process at the other end (SO_PEERCRED), or nil when the kernel will not say.
    static func peer(_ fd: Int32) -> (uid: uid_t, pid: pid_t)? {
        var credentials = PeerCredentials()
        var length = socklen_t(MemoryLayout<PeerCredentials>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0, length == MemoryLayout<PeerCredentials>.size else {
            return nil
        }
        return (credentials.uid, credentials.pid)
    }

    /// Linux's `struct ucred` (which Glibc declares only under _GNU_SOURCE): pid, uid, gid.
    private struct PeerCredentials {
        var pid: pid_t = 0
        var uid: uid_t = 0
        var gid: gid_t = 0
    }

    /// Writes all of `bytes` to a blocking descriptor (never raising SIGPIPE).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure(call: "send", code: errno)
            }
            offset += written
        }
    }
}

/// Splits a byte stream into lines of at most `limit` bytes.
struct LineBuffer {
    private var bytes: [UInt8] = []
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    enum Next {
        case line([UInt8])
        /// Nothing complete yet.
        case none
        /// More than `limit` bytes without a newline.
        case tooLong
    }

    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: chunk)
    }

    mutating func next() -> Next {
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
            return bytes.count > limit ? .tooLong : .none
        }
        guard newline <= limit else { return .tooLong }
        let line = Array(bytes[..<newline])
        bytes.removeSubrange(...newline)
        return .line(line)
    }
}
