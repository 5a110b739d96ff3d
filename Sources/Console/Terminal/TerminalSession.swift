import CNCurses
import Foundation
import Synchronization

/// The signal that asked the console to stop, set by `stopSignalHandler` (async-signal-safe: one
/// atomic store) and acted on by the terminal thread.
private let pendingStopSignal = Atomic<Int32>(0)
private let stopSignalHandler: @convention(c) (Int32) -> Void = { signal in
    pendingStopSignal.store(signal, ordering: .relaxed)
}

/// Everything that happens on the terminal thread: set-up, the key/paint loop, and restoring the
/// terminal. Only this type calls ncurses.
final class TerminalSession {
    /// The console paints at most this often.
    static let frameInterval = Duration.milliseconds(100)
    /// `wget_wch` waits at most this long for a key.
    static let keyTimeoutMilliseconds: Int32 = 100
    /// Signals that restore the terminal before the process ends, when nobody else handles them.
    static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    private let screen: TerminalScreen
    private let terminal: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let capability: ColorCapability
    private let supportsUnicode: Bool
    private var pairs: ColorPairTable
    private var styles: [CellStyle: (attributes: attr_t, pair: Int32)] = [:]
    private var theme: Theme
    private var paintedFrame: Frame?
    private var paintedFrameVersion = -1
    private var paintedThemeVersion = -1
    private var needsFullRepaint = true
    private var lastPaint: ContinuousClock.Instant?
    private var rows: Int
    private var columns: Int

    private init(screen: TerminalScreen, terminal: OpaquePointer, window: UnsafeMutablePointer<WINDOW>, capability: ColorCapability, supportsUnicode: Bool, pairs: ColorPairTable) {
        self.screen = screen
        self.terminal = terminal
        self.window = window
        self.capability = capability
        self.supportsUnicode = supportsUnicode
        self.pairs = pairs
        self.theme = .builtInDefault
        (rows, columns) = TerminalSession.size(of: window)
    }

    /// The body of the terminal thread.
    static func run(screen: TerminalScreen, noColor: Bool) {
        defer { screen.finished.signal() }
        guard let session = setUp(screen: screen, noColor: noColor) else {
            screen.shared.withLock { $0.phase = .stopped }
            screen.started.signal()
            return
        }
        screen.shared.withLock { state in
            state.phase = .running
            state.size = TerminalScreen.Size(rows: session.rows, columns: session.columns)
            state.capability = session.capability
            state.supportsUnicode = session.supportsUnicode
        }
        screen.started.signal()
        let signal = session.loop()
        session.tearDown()
        screen.shared.withLock { $0.phase = .stopped }
        screen.keyContinuation.finish()
        if signal != 0 {
            // Restored; now end the way the signal asked. Sent to the process, not raised on this
            // thread, which may block it.
            bulwark_default_signal(signal)
            kill(getpid(), signal)
        }
    }

    private static func setUp(screen: TerminalScreen, noColor: Bool) -> TerminalSession? {
        setlocale(LC_ALL, "")
        let supportsUnicode = bulwark_codeset_is_utf8() != 0
        _ = pendingStopSignal.load(ordering: .relaxed)
        for signal in stopSignals { _ = bulwark_catch_if_default(signal, stopSignalHandler) }
        let counting = screen.relay.start()
        guard let terminal = newterm(nil, bulwark_stdout_file(), bulwark_stdin_file()) else {
            screen.relay.finish()
            releaseSignals()
            let name = ProcessInfo.processInfo.environment["TERM"] ?? ""
            screen.shared.withLock {
                $0.startError = TerminalError(
                    code: .unusableTerminal,
                    message: "ncurses cannot use the terminal (TERM=\(name.isEmpty ? "unset" : name)); use --headless to run without the console")
            }
            return nil
        }
        set_term(terminal)
        guard let window = bulwark_stdscr() else { return nil }
        cbreak()
        takeInterruptKey()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        curs_set(0)
        var capability = ColorCapability.none
        var defaultColors = false
        if !noColor, has_colors(), start_color() == bulwark_ok() {
            defaultColors = use_default_colors() == bulwark_ok()
            capability = ColorCapability(colors: Int(bulwark_colors()))
        }
        let pairs = ColorPairTable(capacity: Int(bulwark_color_pairs()), defaultColorsAllowed: defaultColors)
        screen.shared.withLock { $0.countsBytes = counting }
        return TerminalSession(
            screen: screen, terminal: terminal, window: window, capability: capability,
            supportsUnicode: supportsUnicode, pairs: pairs)
    }

    /// Ctrl-C reaches the console as a key (it asks, like `q`) instead of interrupting the process: the
    /// terminal's interrupt character is switched off while the console runs. ncurses saves the shell's
    /// modes at `newterm` and restores them when the console ends, so the shell gets Ctrl-C back.
    private static func takeInterruptKey() {
        var modes = termios()
        guard tcgetattr(STDIN_FILENO, &modes) == 0 else { return }
        withUnsafeMutableBytes(of: &modes.c_cc) { $0[Int(VINTR)] = 0 }  // _POSIX_VDISABLE on Linux
        guard tcsetattr(STDIN_FILENO, TCSANOW, &modes) == 0 else { return }
        def_prog_mode()
    }

    /// Reads keys and paints until asked to stop; returns the signal that stopped it, or 0.
    private func loop() -> Int32 {
        var key: wint_t = 0
        while true {
            let signal = pendingStopSignal.load(ordering: .relaxed)
            if signal != 0 { return signal }
            let snapshot = screen.shared.withLock { state in
                (stop: state.stopRequested, frame: state.frame, frameVersion: state.frameVersion, theme: state.theme, themeVersion: state.themeVersion)
            }
            if snapshot.stop { return 0 }
            if snapshot.themeVersion != paintedThemeVersion {
                theme = capability == .none && snapshot.theme.usesColor ? .builtInMono : snapshot.theme
                styles = [:]
                needsFullRepaint = true
                paintedThemeVersion = snapshot.themeVersion
            }
            var timeout = Self.keyTimeoutMilliseconds
            if let frame = snapshot.frame, needsFullRepaint || snapshot.frameVersion != paintedFrameVersion {
                let now = ContinuousClock.now
                if let lastPaint, now < lastPaint + Self.frameInterval {
                    timeout = min(timeout, Self.milliseconds(lastPaint + Self.frameInterval - now))
                } else {
                    paint(frame)
                    paintedFrameVersion = snapshot.frameVersion
                    lastPaint = now
                }
            }
            wtimeout(window, timeout)
            let status = wget_wch(window, &key)
            guard let decoded = Key(cursesStatus: status, value: key) else { continue }
            if decoded == .resize {
                (rows, columns) = Self.size(of: window)
                needsFullRepaint = true
                screen.shared.withLock { $0.size = TerminalScreen.Size(rows: rows, columns: columns) }
            }
            screen.keyContinuation.yield(decoded)
        }
    }

    private func tearDown() {
        endwin()
        delscreen(terminal)
        screen.relay.finish()
        Self.releaseSignals()
    }

    private static func releaseSignals() {
        for signal in stopSignals { bulwark_release_signal(signal, stopSignalHandler) }
    }

    private static func size(of window: UnsafeMutablePointer<WINDOW>) -> (Int, Int) {
        var rows: Int32 = 0
        var columns: Int32 = 0
        bulwark_getmaxyx(window, &rows, &columns)
        return (Int(rows), Int(columns))
    }

    private static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        return Int32(clamping: max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }
}

extension TerminalSession {
    /// Paints what changed since the last painted frame (all of it after a resize, a theme change or a
    /// new frame size): `werase` only then, one `wnoutrefresh` and one `doupdate`, nothing when nothing
    /// changed.
    private func paint(_ frame: Frame) {
        let full = needsFullRepaint || paintedFrame?.width != frame.width || paintedFrame?.height != frame.height
        let runs = frame.changes(since: full ? nil : paintedFrame)
        paintedFrame = frame
        needsFullRepaint = false
        if !full, runs.isEmpty { return }
        if full { werase(window) }
        var text: [wchar_t] = []
        for run in runs where run.row < rows && run.column < columns {
            var start = run.column
            var current: CellStyle?
            text.removeAll(keepingCapacity: true)
            for (offset, cell) in run.cells.enumerated() {
                let column = run.column + offset
                if column >= columns { break }
                if cell.style != current {
                    flush(&text, row: run.row, column: start, style: current)
                    current = cell.style
                    start = column
                }
                append(cell.character, to: &text)
            }
            flush(&text, row: run.row, column: start, style: current)
        }
        wnoutrefresh(window)
        doupdate()
    }

    private func flush(_ text: inout [wchar_t], row: Int, column: Int, style: CellStyle?) {
        guard let style, !text.isEmpty else { return }
        let look = look(of: style)
        wmove(window, Int32(row), Int32(column))
        _ = bulwark_wattr_set(window, look.attributes, look.pair)
        text.append(0)
        _ = text.withUnsafeBufferPointer { waddnwstr(window, $0.baseAddress, Int32($0.count - 1)) }
        text.removeAll(keepingCapacity: true)
    }

    private func append(_ character: Character, to text: inout [wchar_t]) {
        let scalars = character.unicodeScalars
        guard let first = scalars.first, first.value >= 32, first.value != 127 else {
            text.append(wchar_t(32))
            return
        }
        guard supportsUnicode || first.isASCII else {
            text.append(wchar_t(UInt8(ascii: "?")))
            return
        }
        for scalar in scalars { text.append(wchar_t(bitPattern: scalar.value)) }
    }

    /// The ncurses attributes and colour pair of `style` under the current theme, allocating the pair
    /// the first time a colour combination is seen.
    private func look(of style: CellStyle) -> (attributes: attr_t, pair: Int32) {
        if let cached = styles[style] { return cached }
        let resolved = theme.paint(style, for: capability)
        let attributes = attr_t(TerminalAttributes.bits(for: resolved.attributes))
        var pair: Int32 = 0
        if capability != .none {
            let allocation = pairs.pair(foreground: resolved.foreground, background: resolved.background)
            if allocation.isNew {
                _ = bulwark_init_pair(Int32(allocation.number), Int32(allocation.foreground), Int32(allocation.background))
            }
            pair = Int32(allocation.number)
        }
        styles[style] = (attributes, pair)
        return (attributes, pair)
    }
}
