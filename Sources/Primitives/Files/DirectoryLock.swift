import Foundation

/// An exclusive lock on a folder (`state/.lock`, `flock`), held for as long as the process runs: two
/// Bulwark processes must never share a state folder — both would trade from one state file and one
/// paper-exchange book. The kernel releases the lock when the process ends, however it ends.
public final class DirectoryLock: Sendable {
    public struct Held: Error, CustomStringConvertible {
        public var description: String
    }

    public static let fileName = ".lock"

    private let descriptor: Int32
    public let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Takes the lock on `directory` (created 0700 if needed), or throws naming the process that holds it.
    public static func acquire(_ directory: String) throws -> DirectoryLock {
        do {
            _ = try PrivateDirectory.prepare(directory)
        } catch {
            throw Held(description: "state folder \(error.description)")
        }
        let path = directory + "/" + fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Held(description: "cannot open \(path): \(SystemError.describe(errno))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = read(fd, &buffer, buffer.count)
            close(fd)
            let holder = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard code == EWOULDBLOCK else { throw Held(description: "cannot lock \(path): \(SystemError.describe(code))") }
            throw Held(description: "another Bulwark (pid \(holder.isEmpty ? "unknown" : holder)) is running with \(directory); stop it first, or use another --state-dir")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return DirectoryLock(descriptor: fd, path: path)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
