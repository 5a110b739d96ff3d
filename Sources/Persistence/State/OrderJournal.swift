import Foundation
import Logging
import Primitives
import Synchronization

/// `logs/orders.jsonl`: one JSON line per order event, appended and fsynced before the call returns,
/// so the record of an order is on disk before anything else happens to it. Rotated by size to
/// `orders.jsonl.1` (newest) … `.5` (oldest). Files 0600, folder 0700.
///
/// A write that fails is never ignored, as the state store's are not: the line is kept in memory, in
/// order, the failure is told to the failure observer (the state store holds trading HALTED with
/// `FAILED_JOURNAL`), and the kept lines are written first by the next append or by a retry on a backoff;
/// the first write that succeeds tells the observer it is over. See `OrderJournal+Backlog.swift`.
public final class OrderJournal: Sendable {
    /// The journal could not be opened or written; the message names the file and the cause.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var errno: Int32?
        public var description: String { "order journal \(path): \(message)" }
    }

    public static let defaultMaximumBytes = 50 * 1024 * 1024
    public static let defaultRotatedFiles = 5

    public let path: String
    public let maximumBytes: Int
    public let rotatedFiles: Int
    let clock: any WallClock
    let logger: Logger
    let file: Mutex<FileState>
    let failureObserver = Mutex<FailureObserver?>(nil)

    /// Opens (creating) the journal at `path`. If the last line was torn by a crash, a newline is added
    /// so the next line starts clean; the torn one stays for `read` to report.
    public init(
        path: String, maximumBytes: Int = OrderJournal.defaultMaximumBytes,
        rotatedFiles: Int = OrderJournal.defaultRotatedFiles, clock: any WallClock = SystemClock(), logger: Logger
    ) throws(WriteError) {
        precondition(maximumBytes > 0 && rotatedFiles >= 1, "a journal needs a positive size and at least one rotated file")
        let folder = AtomicFile.split(path).folder
        do {
            try PrivateDirectory.prepare(folder)
        } catch {
            throw WriteError(path: path, message: "folder \(error.description)")
        }
        self.path = path
        self.maximumBytes = maximumBytes
        self.rotatedFiles = rotatedFiles
        self.clock = clock
        self.logger = logger
        var (fd, size) = try Self.open(path)
        if size > 0 {
            var last: UInt8 = 0
            if pread(fd, &last, 1, off_t(size - 1)) == 1, last != UInt8(ascii: "\n") {
                logger.warning("order journal ends in a torn line; it is kept and the next entry starts on a new line", metadata: ["path": "\(path)"])
                let newline: [UInt8] = [UInt8(ascii: "\n")]
                if Self.writeAll(fd, newline), SyncStatistics.fsync(fd) == 0 { size += 1 }
            }
        }
        self.file = Mutex(FileState(descriptor: fd, size: size))
    }

    deinit {
        file.withLock { file in
            if file.descriptor >= 0 { close(file.descriptor) }
        }
    }

    /// Appends `record` stamped with the clock's time.
    public func append(_ record: OrderJournalEntry.Record) throws(WriteError) {
        try append(OrderJournalEntry(timestamp: clock.now, record: record))
    }

    /// Appends one line and fsyncs it, after any lines kept from failed writes. On failure nothing partial
    /// is left behind (the file is cut back), the line is kept to be written later, and the error is
    /// thrown: the caller must not act as if the line were on disk (e.g. not send the order it records).
    public func append(_ entry: OrderJournalEntry) throws(WriteError) {
        let now = clock.now
        let outcome = file.withLock { file in
            file.backlog.keep(entry)
            return writeBacklog(&file, now: now)
        }
        try report(outcome)
    }

    /// Writes one line and fsyncs it; on failure the file is cut back to where it was.
    func writeLine(_ entry: OrderJournalEntry, into file: inout FileState) throws(WriteError) {
        var bytes = Array(entry.jsonLine.utf8)
        bytes.append(UInt8(ascii: "\n"))
        // A rotation that could not reopen the file (out of descriptors, say) left none: open it again.
        if file.descriptor < 0 { (file.descriptor, file.size) = try Self.open(path) }
        if file.size > 0, file.size + bytes.count > maximumBytes {
            try rotate(&file)
        }
        guard Self.writeAll(file.descriptor, bytes) else {
            let failure = failure("appending failed")
            _ = ftruncate(file.descriptor, off_t(file.size))
            throw failure
        }
        guard SyncStatistics.fsync(file.descriptor) == 0 else {
            let failure = failure("fsync failed")
            // Cut back too: the line is kept and written again, never twice.
            _ = ftruncate(file.descriptor, off_t(file.size))
            throw failure
        }
        file.size += bytes.count
    }

    /// The rotated file `index` (1 is the newest).
    public func rotatedPath(_ index: Int) -> String { "\(path).\(index)" }

    private func rotate(_ file: inout FileState) throws(WriteError) {
        close(file.descriptor)
        file.descriptor = -1
        unlink(rotatedPath(rotatedFiles))
        for index in stride(from: rotatedFiles - 1, through: 1, by: -1) {
            if rename(rotatedPath(index), rotatedPath(index + 1)) != 0, errno != ENOENT {
                logger.error("order journal rotation could not shift a file", metadata: ["file": "\(rotatedPath(index))", "error": "\(errnoText())"])
            }
        }
        if rename(path, rotatedPath(1)) != 0 {
            let failure = failure("rotating to \(rotatedPath(1)) failed")
            // Keep appending to the same file rather than lose entries.
            (file.descriptor, file.size) = try Self.open(path)
            throw failure
        }
        (file.descriptor, file.size) = try Self.open(path)
        do {
            try AtomicFile.syncFolder(AtomicFile.split(path).folder, for: path)
        } catch {
            throw WriteError(path: path, message: error.message, errno: error.errno)
        }
        logger.info("order journal rotated", metadata: ["path": "\(path)", "keep": "\(rotatedFiles)"])
    }

    /// Opens the journal file; tried once more at once when running out of descriptors released the reserve.
    private static func open(_ path: String) throws(WriteError) -> (Int32, Int) {
        try DescriptorReserve.process.retryingAfterRelease { () throws(WriteError) in try openOnce(path) }
    }

    private static func openOnce(_ path: String) throws(WriteError) -> (Int32, Int) {
        // Non-blocking and checked to be a regular file: a FIFO or device in its place is refused, not waited on.
        let fd: Int32
        switch RegularFile.openChecked(path, flags: O_RDWR | O_APPEND | O_CREAT) {
        case .success(let descriptor): fd = descriptor
        case .failure(.missing):
            let code = errno
            throw WriteError(path: path, message: "cannot open: \(errnoText(code))", errno: code)
        case .failure(.unusable(let reason)):
            throw WriteError(path: path, message: "cannot open: \(reason)", errno: nil)
        }
        var info = stat()
        guard fchmod(fd, 0o600) == 0, fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw WriteError(path: path, message: "cannot set mode 0600: \(errnoText(code))", errno: code)
        }
        return (fd, Int(info.st_size))
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += count
            }
            return true
        }
    }

    private func failure(_ what: String) -> WriteError {
        let code = errno
        return WriteError(path: path, message: "\(what): \(errnoText(code))", errno: code)
    }
}
