import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A raw TCP connection to 127.0.0.1, for tests that play a hostile client: one that connects and stays
/// idle, or sends its request a byte at a time. Blocking calls run on a thread of their own, never on
/// Swift's cooperative pool (the server under test needs that pool).
public final class LoopbackSocket: Sendable {
    public struct ConnectFailed: Error, CustomStringConvertible {
        public var description: String
    }

    private let fd: Int32

    /// Connects to `127.0.0.1:port`.
    public init(port: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ConnectFailed(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw ConnectFailed(description: "connect to 127.0.0.1:\(port): \(reason)")
        }
        self.fd = fd
    }

    deinit {
        Glibc.close(fd)
    }

    /// Sends `text`; false when the server has closed or reset the connection.
    public func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }

    /// Waits until the server closes the connection (end of stream or reset), reading and discarding any
    /// answer, or until `seconds` have passed. True when it was closed.
    public func closedByServer(within seconds: Double) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let fd = self.fd
            let thread = Thread {
                continuation.resume(returning: Self.waitForClose(fd, seconds: seconds))
                withExtendedLifetime(self) {}
            }
            thread.start()
        }
    }

    private static func waitForClose(_ fd: Int32, seconds: Double) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return false }
            let milliseconds = Int32(max(1, min(Int64(Int32.max), left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)))
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                return false
            }
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return true }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return true
            }
        }
    }
}
