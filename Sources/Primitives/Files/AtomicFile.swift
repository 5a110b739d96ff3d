import Foundation

/// POSIX file operations for files that must never be seen half-written: write a temporary file in the
/// same folder (created 0600), fsync it, rename it over the target, fsync the folder.
public enum AtomicFile {
    /// What reading a file found.
    public enum Contents: Sendable {
        case missing
        case bytes([UInt8])
        /// Something is there but it cannot be read as a file; why.
        case unusable(String)
    }

    /// Files larger than this are not state files.
    static let maximumSize = 64 << 20

    /// The temporary name used while writing `path`: hidden, same folder, unique per process.
    static func temporaryPath(for path: String) -> String {
        let (folder, name) = split(path)
        return "\(folder)/.\(name).tmp-\(getpid())"
    }

    /// Replaces `path` with `bytes`, durably. On failure the old file is untouched and no temporary
    /// file is left behind. A write that ran out of file descriptors and so released the emergency
    /// reserve is tried once more at once (state, health and heartbeat writes all come here).
    public static func write(_ bytes: [UInt8], to path: String) throws(StateStoreError) {
        try DescriptorReserve.process.retryingAfterRelease { () throws(StateStoreError) in try writeOnce(bytes, to: path) }
    }

    private static func writeOnce(_ bytes: [UInt8], to path: String) throws(StateStoreError) {
        let (folder, _) = split(path)
        let temporary = temporaryPath(for: path)
        // Non-blocking and checked: a FIFO or device left at the temporary name cannot hang the write.
        let fd: Int32
        switch RegularFile.openChecked(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC) {
        case .success(let descriptor): fd = descriptor
        case .failure(.missing): throw failure("creating \(temporary)", path: path)
        case .failure(.unusable(let reason)):
            throw StateStoreError(code: .writeFailed, message: "cannot write \(path): the temporary file \(temporary) is unusable: \(reason)")
        }
        var closed = false
        defer { if !closed { close(fd) } }
        // An old temporary file keeps its mode on open; make it private.
        guard fchmod(fd, 0o600) == 0 else { throw failure("setting mode 0600 on \(temporary)", path: path, removing: temporary) }
        let written: Bool = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += count
            }
            return true
        }
        guard written else { throw failure("writing \(temporary)", path: path, removing: temporary) }
        guard SyncStatistics.fsync(fd) == 0 else { throw failure("fsync of \(temporary)", path: path, removing: temporary) }
        closed = true
        guard close(fd) == 0 else { throw failure("closing \(temporary)", path: path, removing: temporary) }
        guard rename(temporary, path) == 0 else { throw failure("renaming \(temporary) over it", path: path, removing: temporary) }
        try syncFolder(folder, for: path)
    }

    /// fsyncs a folder so a rename in it survives a power cut.
    package static func syncFolder(_ folder: String, for path: String) throws(StateStoreError) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("opening folder \(folder) to fsync it", path: path) }
        defer { close(fd) }
        guard SyncStatistics.fsync(fd) == 0 else { throw failure("fsync of folder \(folder)", path: path) }
    }

    /// Reads `path` without blocking (a FIFO or device in its place is refused, not opened for good)
    /// and without following a symbolic link; only a regular file of at most `maximumSize` bytes is read.
    public static func read(_ path: String) -> Contents {
        switch RegularFile.read(path, maximumSize: maximumSize) {
        case .missing: .missing
        case .bytes(let bytes): .bytes(bytes)
        case .unusable(let reason): .unusable(reason)
        }
    }

    /// `base`, or `base.1`, `base.2`, … — the first name nothing has.
    private static func freeName(_ base: String) -> String {
        var candidate = base
        var suffix = 0
        var info = stat()
        while lstat(candidate, &info) == 0 {
            suffix += 1
            candidate = "\(base).\(suffix)"
        }
        return candidate
    }

    /// Moves `path` (file or folder) to `base`, or `base.1`, `base.2`, … — the first name not taken.
    /// Returns the name used.
    package static func moveAside(_ path: String, to base: String) throws(StateStoreError) -> String {
        let candidate = freeName(base)
        var info = stat()
        guard rename(path, candidate) == 0 else {
            let code = errno
            throw StateStoreError(
                code: .unreadable, message: "cannot move \(path) aside to \(candidate): \(errnoText(code))", errno: code)
        }
        // A backup holds trading data: private, like every file Bulwark keeps (folders stay as they were).
        if lstat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG { chmod(candidate, 0o600) }
        try syncFolder(split(path).folder, for: path)
        return candidate
    }

    /// Copies `path` to a new file `base` (or `base.N`), 0600, durably. Returns the name used.
    package static func copyAside(_ bytes: [UInt8], of path: String, to base: String) throws(StateStoreError) -> String {
        let candidate = freeName(base)
        try write(bytes, to: candidate)
        return candidate
    }

    /// Removes temporary files a killed writer left next to `path`; returns their names.
    public static func removeStaleTemporaries(of path: String) -> [String] {
        let (folder, name) = split(path)
        let prefix = ".\(name).tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for entry in names.sorted() where entry.hasPrefix(prefix) {
            let full = "\(folder)/\(entry)"
            if unlink(full) == 0 { removed.append(full) }
        }
        return removed
    }

    package static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    private static func failure(_ step: String, path: String, removing temporary: String? = nil) -> StateStoreError {
        let code = errno
        if let temporary { unlink(temporary) }
        return StateStoreError(
            code: .writeFailed, message: "cannot write \(path): \(step) failed: \(errnoText(code))", errno: code)
    }
}
