import Foundation
import TestSupport
import Testing

/// A program running in a real terminal: a detached tmux session on a private server
/// (`tmux -L bulwark-test-<uuid>`), sized 80×24 with no status line, that tests type into, read the screen
/// of, resize and signal. The pane stays after its program ends (`remain-on-exit`), so its exit status and
/// the state it left the terminal in can be read. The server is killed when the value is dropped.
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

    /// The pane's program ended: its exit status (or the signal that ended it).
    struct Exit: Sendable, Equatable {
        var status: Int32?
        var signal: Int32?
    }

    let socket: String
    private let session = "bulwark"
    private let configuration = TemporaryFolder()

    /// Starts `arguments` (the program first) in `directory` with exactly `environment` plus PATH,
    /// HOME (the directory), `TERM=xterm-256color` and `LANG=C.UTF-8`, in a `width`×`height` terminal.
    init(_ arguments: [String], in directory: String, environment: [String: String] = [:], width: Int = 80, height: Int = 24) throws {
        socket = "bulwark-test-\(UUID().uuidString.lowercased())"
        // Options from a file read when the server starts, so they hold before the program can exit.
        // (`window-size manual` there makes tmux 3.3a's server exit at once: it is set on the session.)
        configuration.write("tmux.conf", """
            set -g remain-on-exit on
            set -g status off
            set -g escape-time 0
            set -g history-limit 0
            """)
        var variables = environment
        variables["PATH"] = variables["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        variables["HOME"] = variables["HOME"] ?? directory
        variables["TERM"] = "xterm-256color"
        variables["LANG"] = "C.UTF-8"
        let assignments = variables.sorted { $0.key < $1.key }.map { Self.quote("\($0.key)=\($0.value)") }
        let command = "exec env -i " + (assignments + arguments.map(Self.quote)).joined(separator: " ")
        try tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "-c", directory, command])
        try tmux(["set-option", "-t", session, "window-size", "manual"])
    }

    /// `bulwark arguments…` (the built binary, see `BinaryRunner.binaryPath`) in a terminal.
    static func bulwark(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> TmuxSession {
        let path = BinaryRunner.binaryPath
        try #require(FileManager.default.isExecutableFile(atPath: path), "\(path) is missing: build with `swift build --build-tests`")
        return try TmuxSession([path] + arguments, in: directory, environment: environment)
    }

    deinit {
        // The pane's program gets SIGHUP from the server; one that ignores it is ended by its pid.
        let pid = try? panePID
        _ = try? tmux(["kill-server"])
        if let pid, pid > 0 {
            let deadline = Date().addingTimeInterval(10)
            while kill(pid, 0) == 0, Date() < deadline { usleep(50_000) }
            if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        }
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

    /// Polls the screen every 100 ms until `condition` holds, failing (with the last screen) when the
    /// deadline passes or the program ends first. Returns the screen that satisfied it.
    @discardableResult
    func waitFor(_ what: String, until deadline: ContinuousClock.Instant, _ condition: @escaping @Sendable (Screen) -> Bool) async throws -> Screen {
        try await offThread { [self] in
            while true {
                let screen = try capture()
                if condition(screen) { return screen }
                if let exit = try exited() {
                    throw RunningBinary.Failure("the program ended (\(exit)) before \(what)\(screen)")
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

    /// The pid of the program in the pane (the shell `exec`s it, so it is the program itself).
    var panePID: pid_t {
        get throws {
            guard let pid = pid_t(try format("#{pane_pid}")) else { throw RunningBinary.Failure("no pane pid") }
            return pid
        }
    }

    /// Sends `signal` to the program in the pane.
    func send(_ signal: Int32) throws {
        let pid = try panePID
        guard kill(pid, signal) == 0 else { throw RunningBinary.Failure("kill(\(pid), \(signal)): errno \(errno)") }
    }

    /// How the program ended, or nil while it runs.
    func exited() throws -> Exit? {
        let fields = try format("#{pane_dead} #{pane_dead_status} #{pane_dead_signal}").split(separator: " ", omittingEmptySubsequences: false)
        guard fields.first == "1" else { return nil }
        return Exit(status: fields.count > 1 ? Int32(fields[1]) : nil, signal: fields.count > 2 ? Int32(fields[2]) : nil)
    }

    /// Waits at most `seconds` for the program to end; how it ended, or nil if it still runs.
    func waitForExit(within seconds: Double) async throws -> Exit? {
        try await offThread { [self] in
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                if let exit = try exited() { return exit }
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

    /// The terminal's line discipline (`stty -a`): after a full-screen program it should be back to
    /// canonical input with echo.
    func terminalModes() throws -> String {
        let tty = try format("#{pane_tty}")
        return try Self.run(["stty", "-F", tty, "-a"])
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

    /// Runs a short command to its end; its stdout, or an error with its stderr.
    private static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RunningBinary.Failure(
                "\(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `text` single-quoted for the shell.
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
