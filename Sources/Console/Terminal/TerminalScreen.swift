import Dispatch
import Foundation
import Synchronization

/// The ncurses backend: paints `Frame`s and reads keys on one dedicated thread that owns the terminal.
///
/// Threading: `start` launches the terminal thread and waits until the terminal is set up; every ncurses
/// call happens on that thread. `present` and `setTheme` only store their argument in a lock-guarded
/// slot and return at once; the thread paints the latest frame (at most 10 a second, only what changed).
/// Keys are yielded to `keys` (buffering the newest 64) without ever waiting on the reader. `stop`
/// blocks for at most ~100 ms while the thread restores the terminal. A screen is started once.
public final class TerminalScreen: Sendable {
    /// The terminal's size in cells.
    public struct Size: Hashable, Sendable {
        public var rows: Int
        public var columns: Int

        public init(rows: Int, columns: Int) {
            self.rows = rows
            self.columns = columns
        }
    }

    /// Every key pressed while the screen runs, and `.resize` after the terminal changed size (read
    /// `size` then). Finishes when the screen stops.
    public let keys: AsyncStream<Key>

    struct Shared: Sendable {
        enum Phase: Sendable { case idle, starting, running, stopped }
        var phase = Phase.idle
        var startError: TerminalError?
        var stopRequested = false
        var frame: Frame?
        var frameVersion = 0
        var theme = Theme.builtInDefault
        var themeVersion = 0
        var size = Size(rows: 0, columns: 0)
        var capability = ColorCapability.none
        var supportsUnicode = false
        var countsBytes = false
    }

    let shared = Mutex(Shared())
    let keyContinuation: AsyncStream<Key>.Continuation
    let relay = TerminalOutputRelay()
    let started = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)

    public init() {
        (keys, keyContinuation) = AsyncStream.makeStream(of: Key.self, bufferingPolicy: .bufferingNewest(64))
    }

    /// Takes over the terminal: locale, ncurses, colours, and the thread that paints and reads keys.
    /// Throws `.notATerminal` when standard input or output is not a terminal and `.unusableTerminal`
    /// when ncurses cannot set it up (then nothing was changed and the caller can say "use --headless").
    public func start(theme: Theme) throws(TerminalError) {
        let proceed = shared.withLock { state -> Bool in
            guard state.phase == .idle else { return false }
            state.phase = .starting
            state.theme = theme
            return true
        }
        guard proceed else { throw TerminalError(code: .alreadyStarted, message: "the terminal screen was already started") }
        guard isatty(0) == 1, isatty(1) == 1 else {
            shared.withLock { $0.phase = .stopped }
            keyContinuation.finish()
            throw TerminalError(
                code: .notATerminal,
                message: "standard input and output must be a terminal for the console (use --headless to run without it)")
        }
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let thread = Thread { [self] in TerminalSession.run(screen: self, noColor: noColor) }
        thread.name = "bulwark-terminal"
        thread.start()
        started.wait()
        if let error = shared.withLock({ $0.startError }) {
            keyContinuation.finish()
            throw error
        }
    }

    /// Offers the frame to paint; the terminal thread takes the latest one. Never blocks.
    public func present(_ frame: Frame) {
        shared.withLock { state in
            state.frame = frame
            state.frameVersion &+= 1
        }
    }

    /// Paints with `theme` from the next frame on (a full repaint). On a terminal without colours a
    /// theme with colours is replaced by the built-in mono theme.
    public func setTheme(_ theme: Theme) {
        shared.withLock { state in
            state.theme = theme
            state.themeVersion &+= 1
        }
    }

    /// Restores the terminal (`endwin`) and ends the thread; waits for it. Safe to call more than once,
    /// or without `start`. Never call it from the terminal thread.
    public func stop() {
        let wait = shared.withLock { state -> Bool in
            state.stopRequested = true
            switch state.phase {
            case .idle:
                state.phase = .stopped
                return false
            case .starting, .running: return true
            case .stopped: return false
            }
        }
        keyContinuation.finish()
        if wait {
            finished.wait()
            finished.signal()
        }
    }

    /// The terminal's size, as of the last `.resize` key (or `start`).
    public var size: Size { shared.withLock(\.size) }

    /// Colours the terminal shows: `.none` without colours or with `NO_COLOR` set.
    public var colorCapability: ColorCapability { shared.withLock(\.capability) }

    /// The locale's codeset is UTF-8: the view may draw with Unicode glyphs (else ASCII).
    public var supportsUnicode: Bool { shared.withLock(\.supportsUnicode) }

    /// Bytes written to the terminal since `start`, or nil when they cannot be counted (standard
    /// error is not the terminal).
    public var bytesWritten: Int? {
        shared.withLock(\.countsBytes) ? relay.bytesWritten : nil
    }
}
