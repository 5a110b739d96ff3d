import Dispatch
import Foundation
import Synchronization

/// Counts the bytes ncurses writes to the terminal. ncurses writes with `write(2)` on the descriptor of
/// its output, so a counting `FILE *` cannot see them; instead, while the console runs, descriptor 1 is
/// a pipe whose reader (its own thread) counts and forwards every byte to the real terminal. ncurses
/// then keeps the terminal modes and the window size on standard error (its rule for a redirected
/// stdout), so the relay is used only when standard error is that terminal too.
final class TerminalOutputRelay: Sendable {
    private let bytes = Atomic<Int>(0)
    private let descriptors: Mutex<(terminal: Int32, pipeRead: Int32)?> = Mutex(nil)
    private let finished = DispatchSemaphore(value: 0)

    /// Bytes forwarded to the terminal so far.
    var bytesWritten: Int { bytes.load(ordering: .relaxed) }

    /// Points descriptor 1 at the pipe and starts the relay thread; false (nothing changed) when it
    /// cannot.
    func start() -> Bool {
        guard isatty(2) == 1 else { return false }
        let terminal = dup(1)
        guard terminal >= 0 else { return false }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            close(terminal)
            return false
        }
        _ = fcntl(terminal, F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        guard dup2(ends[1], 1) >= 0 else {
            close(terminal)
            close(ends[0])
            close(ends[1])
            return false
        }
        close(ends[1])
        let pipeRead = ends[0]
        descriptors.withLock { $0 = (terminal, pipeRead) }
        let thread = Thread { [self] in relay(from: pipeRead, to: terminal) }
        thread.name = "bulwark-terminal-output"
        thread.start()
        return true
    }

    /// Gives descriptor 1 back to the terminal, waits (at most a second) for the relay to forward what
    /// is left, and closes the pipe.
    func finish() {
        guard let (terminal, pipeRead) = descriptors.withLock({ value in defer { value = nil }; return value }) else { return }
        // Closing the pipe's only write end (descriptor 1) lets the relay read to the end.
        _ = dup2(terminal, 1)
        _ = finished.wait(timeout: .now() + .seconds(1))
        close(pipeRead)
        close(terminal)
    }

    private func relay(from pipeRead: Int32, to terminal: Int32) {
        defer { finished.signal() }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(pipeRead, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            bytes.add(count, ordering: .relaxed)
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(terminal, $0.baseAddress! + offset, count - offset) }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { break }
                offset += written
            }
        }
    }
}
