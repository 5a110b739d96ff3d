import Foundation

/// Whether a loopback TCP port can be listened on, as `bulwark doctor` asks for the dashboard's: a trial
/// bind (with SO_REUSEADDR, as the server binds, so a port in TIME_WAIT is not taken), and when it is
/// taken, which process listens there, found through /proc when this user may read it.
enum PortProbe {
    enum Verdict: Equatable {
        case free
        /// Taken: `owner` names the process ("pid 1234 (nginx)") when /proc tells.
        case taken(owner: String?)
        /// Cannot be listened on for another reason, in words.
        case refused(String)
    }

    static func check(host: String = "127.0.0.1", port: Int) -> Verdict {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .refused("no socket: " + String(cString: strerror(errno))) }
        defer { close(fd) }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        if bound { return .free }
        let code = errno
        switch code {
        case EADDRINUSE: return .taken(owner: owner(ofListeningPort: port))
        case EACCES: return .refused("is not allowed (a port below 1024 needs privileges)")
        default: return .refused("cannot be listened on: " + String(cString: strerror(code)))
        }
    }

    /// The process listening on TCP `port` (IPv4 or IPv6), from /proc/net/tcp* and the processes' open
    /// sockets; nil when none is found (another user's process, or no /proc).
    static func owner(ofListeningPort port: Int) -> String? {
        let inodes = listeningInodes(port: port)
        guard !inodes.isEmpty, let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for pid in pids where pid.allSatisfy(\.isNumber) {
            guard let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { continue }
            for fd in fds {
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)"),
                    target.hasPrefix("socket:["), inodes.contains(String(target.dropFirst(8).dropLast()))
                else { continue }
                let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                return "pid \(pid)" + (name.map { " (\($0))" } ?? "")
            }
        }
        return nil
    }

    /// The socket inodes listening (state 0A) on `port`, from /proc/net/tcp and /proc/net/tcp6.
    private static func listeningInodes(port: Int) -> Set<String> {
        let hexPort = String(format: "%04X", port)
        var inodes: Set<String> = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 9, fields[3] == "0A", fields[1].hasSuffix(":" + hexPort) else { continue }
                inodes.insert(String(fields[9]))
            }
        }
        return inodes
    }
}
