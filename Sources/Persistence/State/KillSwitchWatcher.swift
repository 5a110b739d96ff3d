import Foundation
import Logging
import Primitives

/// Watches the state folder with inotify so that `state/HALT` is seen the moment it appears or goes,
/// not at the engine's next tick: created or moved in, trading is held at once (durably; the store
/// publishes the change and the kill switch logs it) even if the file is already gone again; removed,
/// moved away or touched, the kill switch is checked. The engine's per-tick check stays as the fallback.
///
/// The watch runs on a thread of its own (blocking `poll` with a short timeout), so it never holds one
/// of the few threads Swift concurrency runs on; `run()` returns promptly once its task is cancelled.
/// If the watch cannot be set up, a warning says so and `run()` returns: the per-tick check remains.
public struct KillSwitchWatcher: Sendable {
    private let killSwitch: KillSwitch
    private let directory: String
    private let logger: Logger
    private let pollTimeoutMilliseconds: Int32

    public init(killSwitch: KillSwitch, logger: Logger, pollTimeout: Duration = .milliseconds(100)) {
        self.killSwitch = killSwitch
        self.directory = (killSwitch.path as NSString).deletingLastPathComponent
        self.logger = logger
        self.pollTimeoutMilliseconds = Int32(clamping: max(1, pollTimeout.nanoseconds / 1_000_000))
    }

    /// Watches until cancelled (or until the watch cannot go on).
    public func run() async {
        let stop = StopLatch()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let thread = Thread {
                    watch(until: stop)
                    continuation.resume()
                }
                thread.name = "kill-switch-watch"
                thread.start()
            }
        } onCancel: {
            stop.raise()
        }
    }

    /// The blocking watch loop.
    private func watch(until stop: StopLatch) {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else {
            let code = errno
            logger.warning("cannot watch the kill switch file; it is checked every tick instead", metadata: ["error": "\(errnoText(code))"])
            return
        }
        defer { close(fd) }
        let mask = UInt32(IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB)
        guard inotify_add_watch(fd, directory, mask) >= 0 else {
            let code = errno
            logger.warning(
                "cannot watch the state folder for the kill switch file; it is checked every tick instead",
                metadata: ["path": "\(directory)", "error": "\(errnoText(code))"])
            return
        }
        logger.debug("watching for the kill switch file", metadata: ["path": "\(killSwitch.path)"])
        // The file may have come before the watch did.
        killSwitch.check()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !stop.isRaised {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, pollTimeoutMilliseconds)
            guard ready > 0 else {
                if ready < 0, errno != EINTR {
                    logger.warning("the kill switch watch failed; it is checked every tick instead", metadata: ["error": "\(errnoText(errno))"])
                    return
                }
                continue
            }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { continue }
            switch Self.changes(in: buffer[..<count], named: KillSwitch.fileName) {
            case .none:
                break
            case .appeared:
                // Held even if the file is already gone; the check then releases it if so.
                killSwitch.appeared()
                killSwitch.check()
            case .changed:
                killSwitch.check()
            case .watchEnded:
                logger.warning("the state folder is no longer watched; the kill switch file is checked every tick instead", metadata: ["path": "\(directory)"])
                return
            }
        }
    }

    /// What a batch of inotify events means for the file `name`.
    enum Change: Equatable {
        case none
        /// The file was created or moved in (perhaps also removed since).
        case appeared
        /// Removed, moved away, its attributes changed, or events were lost: look again.
        case changed
        /// The watch is gone (the folder was removed).
        case watchEnded
    }

    /// Reads the `inotify_event` records in `bytes` (16-byte header: wd, mask, cookie, len; then `len`
    /// bytes of NUL-padded name).
    static func changes(in bytes: ArraySlice<UInt8>, named name: String) -> Change {
        var result = Change.none
        var offset = bytes.startIndex
        let header = 16
        while offset + header <= bytes.endIndex {
            func word(_ at: Int) -> UInt32 {
                bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset - bytes.startIndex + at, as: UInt32.self) }
            }
            let mask = word(4)
            let length = Int(word(12))
            let nameStart = offset + header
            let nameEnd = min(nameStart + length, bytes.endIndex)
            let eventName = String(decoding: bytes[nameStart..<nameEnd].prefix { $0 != 0 }, as: UTF8.self)
            offset = nameEnd
            if mask & UInt32(IN_IGNORED) != 0 { return .watchEnded }
            if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                if result == .none { result = .changed }
                continue
            }
            guard eventName == name else { continue }
            if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                result = .appeared
            } else if result == .none {
                result = .changed
            }
        }
        return result
    }
}
