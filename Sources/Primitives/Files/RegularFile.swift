import Foundation

/// Opens and reads files that must be what they claim to be: never blocking (`O_NONBLOCK`, so a FIFO or a
/// device in a file's place cannot hang the process), never following a symbolic link unless told to
/// (`O_NOFOLLOW`), checked with `fstat` to be a regular file before a byte is read, and read up to a
/// limit only (a huge file is refused from its size, never read whole).
public enum RegularFile {
    /// What reading found.
    public enum Contents: Sendable, Equatable {
        case missing
        case bytes([UInt8])
        /// Something is at the path but it is not a file that can be read; why, in plain words
        /// ("it is a named pipe (FIFO), not a regular file").
        case unusable(String)
    }

    /// Reads the whole of `path` if it is a regular file of at most `maximumSize` bytes.
    /// - Parameter followSymlinks: whether a symbolic link at `path` is followed (false: it is refused).
    public static func read(_ path: String, maximumSize: Int, followSymlinks: Bool = false) -> Contents {
        let fd: Int32
        switch openChecked(path, flags: O_RDONLY, followSymlinks: followSymlinks) {
        case .success(let descriptor): fd = descriptor
        case .failure(.missing): return .missing
        case .failure(.unusable(let reason)): return .unusable(reason)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .unusable("it cannot be examined: \(errnoText())") }
        guard Int(info.st_size) <= maximumSize else {
            return .unusable("it is \(info.st_size) bytes, more than the \(sizeText(maximumSize)) allowed")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .unusable("reading it failed: \(errnoText())")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maximumSize { return .unusable("it grew past the \(sizeText(maximumSize)) allowed while being read") }
        }
        return .bytes(bytes)
    }

    /// Why a path could not be opened as a regular file.
    public enum OpenFailure: Error, Sendable, Equatable {
        case missing
        case unusable(String)
    }

    /// Opens `path` with `flags | O_NONBLOCK | O_CLOEXEC` (and `O_NOFOLLOW` unless `followSymlinks`),
    /// checks it is a regular file, then clears `O_NONBLOCK` so writes and reads behave as usual.
    /// The descriptor is the caller's to close.
    public static func openChecked(
        _ path: String, flags: Int32, mode: mode_t = 0o600, followSymlinks: Bool = false
    ) -> Result<Int32, OpenFailure> {
        var all = flags | O_NONBLOCK | O_CLOEXEC
        if !followSymlinks { all |= O_NOFOLLOW }
        var fd: Int32
        repeat { fd = open(path, all, mode) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return .failure(.missing) }
            if code == ELOOP && !followSymlinks { return .failure(.unusable("it is a symbolic link, not a regular file")) }
            // O_NONBLOCK on a FIFO with no reader, opened for writing.
            if code == ENXIO { return .failure(.unusable(kindText(of: path, followSymlinks: followSymlinks))) }
            if code == EISDIR { return .failure(.unusable("it is a folder, not a regular file")) }
            return .failure(.unusable("it cannot be opened: \(errnoText(code))"))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = errnoText()
            close(fd)
            return .failure(.unusable("it cannot be examined: \(reason)"))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return .failure(.unusable("it is \(kind(info.st_mode)), not a regular file"))
        }
        let current = fcntl(fd, F_GETFL)
        if current >= 0 { _ = fcntl(fd, F_SETFL, current & ~O_NONBLOCK) }
        return .success(fd)
    }

    /// "a named pipe (FIFO)", "a folder", … for a file mode.
    public static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "a regular file"
        case S_IFDIR: "a folder"
        case S_IFIFO: "a named pipe (FIFO)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }

    private static func kindText(of path: String, followSymlinks: Bool) -> String {
        var info = stat()
        let found = followSymlinks ? stat(path, &info) : lstat(path, &info)
        guard found == 0 else { return "it cannot be opened: \(errnoText())" }
        return "it is \(kind(info.st_mode)), not a regular file"
    }

    /// "1 MiB", "64 MiB", or bytes.
    public static func sizeText(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}
