import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP port of 127.0.0.1 that nobody listens on, held for as long as this lives: a socket bound to a
/// port the kernel picks (port 0) and never listened on, so a connection to it is refused and no other
/// process can take the port meanwhile (unlike a port found free, released and handed on — a race).
public final class ReservedPort: Sendable {
    public struct Failed: Error, CustomStringConvertible {
        public var description: String
    }

    public let port: Int
    private let fd: Int32

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failed(description: "socket: \(String(cString: strerror(errno)))") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw Failed(description: "no port of 127.0.0.1 to hold: \(reason)")
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// `http://127.0.0.1:PORT`.
    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    deinit {
        Glibc.close(fd)
    }
}
