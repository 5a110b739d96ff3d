import Foundation
import TestSupport
import Testing

/// A program running in a real terminal: a detached tmux session on a private server
/// (`tmux -L bulwark-test-<uuid>`), sized 80×24 with no status line, that tests type into, read the screen
/// of, resize and signal. The server is killed (and its socket removed) when the value is dropped.
///
/// The program runs under a small shell that, once the program has ended, records its exit status and the
/// terminal's modes and then keeps the pane open: the screen, `#{alternate_on}` and `#{cursor_flag}` are
/// then exactly what the program left. (A dead pane with `remain-on-exit` is not: tmux 3.3a hides the
/// cursor of a dead pane, scrolls its last line away for the "Pane is dead" message, and sometimes leaves
/// `#{pane_dead_status}` empty. `remain-on-exit` stays on only for a shell that is itself killed.)
final class TmuxSession: Sendable {
    /// What the pane shows, one string per row (trailing blanks trimmed by tmux).
    struct Screen: Sendable, CustomStringConvertible {
        var lines: [String]
        var text: String { lines.joined(separator: "\n") }
        /// The first row: the console's header.
        var header: String { lines.first ?? "" }
        /// The last non-empty row: the console's key-hint line.
        var bottom: String { lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "" }
        func contains(_ text: String) -> Bool { lines.contains { $0.contains(text) } }
        var description: String { "\n----- screen -----\n" + text + "\n------------------" }
    }

    let socket: String
    private let session = "bulwark"
    private let configuration = TemporaryFolder()

    /// Starts `arguments` (the program first) in `directory` with exactly `environment` plus PATH,
    /// HOME (the directory), `TERM=xterm-256color` and `LANG=C.UTF-8`, in a `width`×`height` terminal that
    /// keeps `history` lines of scrollback (none by default).
    init(
        _ arguments: [String], in directory: String, environment: [String: String] = [:], width: Int = 80, height: Int = 24,
        history: Int = 0
    ) throws {
        socket = "bulwark-test-\(UUID().uuidString.lowercased())"
        // Options from a file read when the server starts, so they hold before the program can exit.
        // (`window-size manual` there makes tmux 3.3a's server exit at once: it is set on the session.)
        configuration.write("tmux.conf", """
            set -g remain-on-exit on
            set -g status off
            set -g escape-time 0
            set -g history-limit \(history)
            """)
        var variables = environment
        variables["PATH"] = variables["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        variables["HOME"] = variables["HOME"] ?? directory
        variables["TERM"] = "xterm-256color"
        variables["LANG"] = "C.UTF-8"
        let assignments = variables.sorted { $0.key < $1.key }.map { Self.quote("\($0.key)=\($0.value)") }
        // The shell runs the program in the foreground (same process group, so it owns the terminal).
        let script = #"d=$1; shift; "$@"; s=$?; stty -a >"$d/modes" 2>&1; echo $s >"$d/status"; exec sleep 3600"#
        let wrapper = ["/bin/sh", "-c", script, "sh", configuration.path]
        let command = "exec env -i " + (assignments + (wrapper + arguments).map(Self.quote)).joined(separator: " ")
        try tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "-c", directory, command])
        try tmux(["set-option", "-t", session, "window-size", "manual"])
    }

    /// `bulwark arguments…` (the built binary, see `BinaryRunner.binaryPath`) in a terminal.
    static func bulwark(_ arguments: [String], in directory: String, environment: [String: String] = [:], history: Int = 0) throws -> TmuxSession {
        let path = BinaryRunner.binaryPath
        try #require(FileManager.default.isExecutableFile(atPath: path), "\(path) is missing: build with `swift build --build-tests`")
        return try TmuxSession([path] + arguments, in: directory, environment: environment, history: history)
    }

    deinit {
        // The program gets SIGHUP from the server; one that ignores it is ended by its pid.
        let pids = [try? programPID, try? panePID].compactMap { $0 }.filter { $0 > 0 }
        let socketPath = try? format("#{socket_path}")
        _ = try? tmux(["kill-server"])
        if let socketPath, !socketPath.isEmpty { unlink(socketPath) }  // tmux 3.3a leaves it behind
        let deadline = Date().addingTimeInterval(10)
        while pids.contains(where: Self.isAlive), Date() < deadline { usleep(50_000) }
        for pid in pids where Self.isAlive(pid) { kill(pid, SIGKILL) }
    }

    /// Whether `pid` is a live process (not gone, not a zombie).
    private static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let end = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: end)...].hasPrefix(" Z")
    }

    // MARK: Typing

    /// Types `text` as it is (`send-keys -l`): every character a key.
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", session, "-l", text])
    }

    /// Presses named keys (`Enter`, `Escape`, `Tab`, `Up`, `C-c`…).
    func press(_ keys: String...) throws {
        try tmux(["send-keys", "-t", session] + keys)
    }

    // MARK: Reading

    /// The visible screen now.
    func capture() throws -> Screen {
        let text = try tmux(["capture-pane", "-p", "-t", session])
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return Screen(lines: lines)
    }

    /// The pane as text, exactly as `capture-pane -p` gives it: with `escapes`, the escape sequences of
    /// the attributes and colours too (`-e`); with `history`, the scrollback as well as the screen (`-S -`).
    func text(escapes: Bool = false, history: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : []) + (history ? ["-S", "-"] : []))
    }

    /// Polls the screen every 100 ms until `condition` holds, failing (with the last screen) when the
    /// deadline passes or the program ends first. Returns the screen that satisfied it.
    @discardableResult
    func waitFor(_ what: String, until deadline: ContinuousClock.Instant, _ condition: @escaping @Sendable (Screen) -> Bool) async throws -> Screen {
        try await offThread { [self] in
            while true {
                let screen = try capture()
                if condition(screen) { return screen }
                if let status = try exited() {
                    throw RunningBinary.Failure("the program ended (exit status \(status)) before \(what)\(screen)")
                }
                guard ContinuousClock.now < deadline else {
                    throw RunningBinary.Failure("no \(what) on screen in time\(screen)")
                }
                usleep(100_000)
            }
        }
    }

    /// Waits at most `seconds` for `condition` on the screen.
    @discardableResult
    func waitFor(_ what: String, within seconds: Double, _ condition: @escaping @Sendable (Screen) -> Bool) async throws -> Screen {
        try await waitFor(what, until: .now + .milliseconds(Int(seconds * 1000)), condition)
    }

    /// Waits at most `seconds` for `text` to appear anywhere on the screen.
    @discardableResult
    func waitFor(text: String, within seconds: Double) async throws -> Screen {
        try await waitFor("\"\(text)\"", within: seconds) { $0.contains(text) }
    }

    // MARK: The terminal and the process

    /// Resizes the terminal (the program gets SIGWINCH).
    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The pane's size as tmux has it.
    var size: (width: Int, height: Int) {
        get throws {
            let parts = try format("#{pane_width} #{pane_height}").split(separator: " ").compactMap { Int($0) }
            guard parts.count == 2 else { throw RunningBinary.Failure("unreadable pane size") }
            return (parts[0], parts[1])
        }
    }

    /// The pid of the pane's process: the shell that runs the program.
    var panePID: pid_t {
        get throws {
            guard let pid = pid_t(try format("#{pane_pid}")) else { throw RunningBinary.Failure("no pane pid") }
            return pid
        }
    }

    /// The pid of the program (the pane's shell's child), or nil once it has ended.
    var programPID: pid_t? {
        get throws {
            guard try exited() == nil else { return nil }
            let shell = try panePID
            let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
            return children.split(separator: " ").compactMap { pid_t($0) }.first
        }
    }

    /// Ends the session as a closed terminal window or a dropped SSH connection would: tmux hangs up the
    /// pane (SIGHUP to its processes) and the terminal is gone.
    func killSession() throws {
        try tmux(["kill-session", "-t", session])
    }

    /// Sends `signal` to the program.
    func send(_ signal: Int32) throws {
        guard let pid = try programPID else { throw RunningBinary.Failure("the program is not running\(try capture())") }
        guard kill(pid, signal) == 0 else { throw RunningBinary.Failure("kill(\(pid), \(signal)): errno \(errno)") }
    }

    /// The program's exit status (128 + n when signal n ended it), or nil while it runs.
    func exited() throws -> Int32? {
        if let recorded = try? String(contentsOfFile: configuration.path + "/status", encoding: .utf8),
            let status = Int32(recorded.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            return status
        }
        // Without a recorded status the program still runs, unless the shell itself was killed.
        let fields = try format("#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}").split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0] == "1" else { return nil }
        if let status = Int32(fields[1]) { return status }
        return Int32(fields[2]).map { 128 + $0 } ?? -1
    }

    /// Waits at most `seconds` for the program to end; its exit status, or nil if it still runs.
    func waitForExit(within seconds: Double) async throws -> Int32? {
        try await offThread { [self] in
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                if let status = try exited() { return status }
                guard Date() < deadline else { return nil }
                usleep(100_000)
            }
        }
    }

    /// Whether the pane shows the alternate screen (a full-screen program that has not restored it).
    var alternateScreenOn: Bool {
        get throws { try format("#{alternate_on}") == "1" }
    }

    /// Whether the cursor is visible.
    var cursorVisible: Bool {
        get throws { try format("#{cursor_flag}") == "1" }
    }

    /// The terminal's line discipline (`stty -a`) as the program left it, recorded when it ended: after a
    /// full-screen program it should be back to canonical input with echo.
    func terminalModes() throws -> String {
        let path = configuration.path + "/modes"
        guard let modes = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RunningBinary.Failure("no terminal modes recorded: the program has not ended")
        }
        return modes
    }

    /// One tmux format (`display-message -p`) for the pane.
    func format(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", session, format]).trimmingCharacters(in: .newlines)
    }

    // MARK: Running tmux

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        try Self.run(["tmux", "-L", socket, "-f", configuration.path + "/tmux.conf"] + arguments)
    }

    /// Runs a short command to its end (see `ChildProcess` for why not `Process`); its stdout.
    private static func run(_ arguments: [String]) throws -> String {
        try ChildProcess.output(of: arguments)
    }

    /// `text` single-quoted for the shell.
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
