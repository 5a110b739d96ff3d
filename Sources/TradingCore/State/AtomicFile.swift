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
    /// file is left behind.
    public static func write(_ bytes: [UInt8], to path: String) throws(StateStoreError) {
        let (folder, _) = split(path)
        let temporary = temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw failure("creating \(temporary)", path: path) }
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
    static func syncFolder(_ folder: String, for path: String) throws(StateStoreError) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("opening folder \(folder) to fsync it", path: path) }
        defer { close(fd) }
        guard SyncStatistics.fsync(fd) == 0 else { throw failure("fsync of folder \(folder)", path: path) }
    }

    public static func read(_ path: String) -> Contents {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return .missing }
            if code == ELOOP { return .unusable("it is a symbolic link") }
            return .unusable("it cannot be opened: \(errnoText(code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .unusable("it cannot be examined: \(errnoText())") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .unusable("a folder is in its place")
        default: return .unusable("it is not a regular file")
        }
        guard Int(info.st_size) <= maximumSize else { return .unusable("it is \(info.st_size) bytes, more than any state file") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .unusable("reading it failed: \(errnoText())")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maximumSize { return .unusable("it grew past \(maximumSize) bytes while being read") }
        }
        return .bytes(bytes)
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
    static func moveAside(_ path: String, to base: String) throws(StateStoreError) -> String {
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
    static func copyAside(_ bytes: [UInt8], of path: String, to base: String) throws(StateStoreError) -> String {
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

    static func split(_ path: String) -> (folder: String, name: String) {
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
