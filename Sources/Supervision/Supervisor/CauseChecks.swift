import Foundation

/// Cheap looks at whether the cause of a supportive service's failures is gone, for the supervisor to
/// end its cool-off at once (`Supervisor.Child.causeCheck`) when the cause ends without a failed state
/// or journal write to say so: the dashboard's port freed by whoever held it, the state folder taking
/// writes again once disk space is freed.
public enum CauseChecks {
    /// The dashboard's address (127.0.0.1 and the port `port()` gives; nil: no port to look at) can be
    /// bound again: bound with SO_REUSEADDR, as the dashboard binds it, and closed at once.
    public static func portFree(_ port: @escaping @Sendable () -> Int?) -> @Sendable () -> String? {
        {
            guard let port = port(), port > 0, port <= 65_535 else { return nil }
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var yes: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            return bound == 0 ? "the dashboard's address 127.0.0.1:\(port) is free again" : nil
        }
    }

    /// The folder takes writes again: a small probe file (0600) is written, synced and removed.
    public static func folderTakesWrites(_ directory: String) -> @Sendable () -> String? {
        {
            let path = directory + "/.write-probe"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return nil }
            defer {
                close(fd)
                unlink(path)
            }
            let bytes = [UInt8](repeating: 0, count: 4096)
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count, fsync(fd) == 0 else { return nil }
            return "the folder \(directory) takes writes again"
        }
    }
}
