import Foundation
import Primitives
import Synchronization

/// An append-only file of lines, created 0600 in a 0700 folder. Shared by every log handler that
/// writes to it; each line is written whole with one `write(2)` under a lock, so lines never interleave.
public final class LogFile: Sendable {
    public struct OpenError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot open log file \(path): \(reason)" }
    }

    public let path: String
    private let descriptor: Mutex<Int32>
    private let ownsDescriptor: Bool

    /// Standard error, for a headless run whose logs a supervisor (systemd, a container) collects.
    /// Never used while the console owns the terminal.
    public static let standardError = LogFile(borrowing: 2, name: "<stderr>")

    private init(borrowing fd: Int32, name: String) {
        self.path = name
        self.descriptor = Mutex(fd)
        self.ownsDescriptor = false
    }

    public init(path: String) throws(OpenError) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try PrivateDirectory.prepare(folder.isEmpty ? "." : folder)
        } catch {
            throw OpenError(path: path, reason: error.reason)
        }
        // Non-blocking and checked: a FIFO with no reader or a device in the log's place is refused, not waited on.
        let fd: Int32
        switch RegularFile.openChecked(path, flags: O_WRONLY | O_APPEND | O_CREAT) {
        case .success(let descriptor): fd = descriptor
        case .failure(.missing): throw OpenError(path: path, reason: errnoText())
        case .failure(.unusable(let reason)): throw OpenError(path: path, reason: reason)
        }
        // An existing file keeps its mode on open; make it private.
        guard fchmod(fd, 0o600) == 0 else {
            let reason = errnoText()
            close(fd)
            throw OpenError(path: path, reason: "cannot set mode 0600: \(reason)")
        }
        self.path = path
        self.descriptor = Mutex(fd)
        self.ownsDescriptor = true
    }

    deinit {
        guard ownsDescriptor else { return }
        descriptor.withLock { fd in
            if fd >= 0 { close(fd) }
        }
    }

    /// Appends `line` and a newline. Returns false if the write failed (disk full, I/O error).
    @discardableResult
    public func append(line: String) -> Bool {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        return descriptor.withLock { fd in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += written
                }
                return true
            }
        }
    }

    /// Forces what was written to disk.
    public func sync() {
        descriptor.withLock { fd in _ = fsync(fd) }
    }
}
