import Foundation

/// Runs blocking `work` on a thread of its own and waits at most `seconds` for it. When it has not
/// returned by then (it is stuck on a special file), `unblock` runs — e.g. opening the other end of a
/// FIFO so the stuck call returns — and the result is nil, so a test fails instead of hanging.
public func finishing<T: Sendable>(
    within seconds: Double, unblock: @escaping @Sendable () -> Void = {}, _ work: @escaping @Sendable () -> T
) -> T? {
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox<T>()
    Thread {
        box.set(work())
        done.signal()
    }.start()
    guard done.wait(timeout: .now() + seconds) == .success else {
        unblock()
        _ = done.wait(timeout: .now() + 10)
        return nil
    }
    return box.value
}

/// Makes a FIFO (named pipe) at `path`.
public func makeFIFO(_ path: String) {
    precondition(mkfifo(path, 0o600) == 0, "mkfifo \(path) failed: \(String(cString: strerror(errno)))")
}

/// Unblocks a reader stuck opening or reading the FIFO at `path`: opens it for writing and closes it.
public func releaseFIFOReader(_ path: String) {
    let fd = open(path, O_WRONLY | O_NONBLOCK)
    if fd >= 0 { close(fd) }
}

/// Unblocks a writer stuck opening the FIFO at `path`: opens it for reading and keeps it open, so the
/// writer's later writes do not raise SIGPIPE.
public func releaseFIFOWriter(_ path: String) {
    _ = open(path, O_RDONLY | O_NONBLOCK)
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T?
    func set(_ value: T) { lock.withLock { stored = value } }
    var value: T? { lock.withLock { stored } }
}
