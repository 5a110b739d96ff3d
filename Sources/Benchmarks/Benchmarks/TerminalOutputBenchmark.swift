import Foundation
import Primitives

/// `bulwark bench console`, second half: the console in steady state. Starts this very binary as
/// `bulwark run --dashboard-port 0` (embedded exchange, fresh temporary folder) in an 80×24 pane of a
/// private tmux server, copies every byte the program writes to its terminal into a file with
/// `pipe-pane`, and after a warm-up measures over a window how fast that file grows and how much CPU
/// time (utime + stime from /proc/<pid>/stat) the process used. Then quits it with `q` `s` (stop; SIGTERM,
/// then SIGKILL, if it does not end), kills the tmux server and removes the folder.
package enum TerminalOutputBenchmark {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
        /// What the pane showed when it failed, if anything.
        package var screen: String = ""
    }

    /// What one program wrote and used over the measured window.
    package struct Result {
        package var command: String
        package var bytes: Int
        package var window: Duration
        package var cpuTicks: Int
        package var ticksPerSecond: Int
        package var quitCleanly: Bool

        package var bytesPerSecond: Double { Double(bytes) / window.seconds }
        package var cpuSeconds: Double { Double(cpuTicks) / Double(ticksPerSecond) }
        /// CPU time over wall time: 1.0 is one core busy all the time.
        package var cpuShare: Double { cpuSeconds / window.seconds }
    }

    /// The tmux binary on PATH, if there is one.
    package static func findTmux() -> String? { find("tmux") }

    /// The path of the running executable (/proc/self/exe, else argv[0] made absolute).
    package static func ownExecutable() -> String {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return target }
        let argument = CommandLine.arguments[0]
        if argument.hasPrefix("/") { return argument }
        return URL(fileURLWithPath: argument, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
    }

    /// The program on PATH named `name`, if there is one.
    package static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Bulwark's figures, and those of the reference program measured beside it over the same window.
    package struct Comparison {
        package var bulwark: Result
        package var reference: Result?
    }

    package static func run(
        tmux: String, executable: String, arguments: [String], warmup: Duration, window: Duration,
        columns: Int = 80, rows: Int = 24
    ) async throws -> Result {
        try await compare(
            tmux: tmux, executable: executable, arguments: arguments, reference: nil, warmup: warmup, window: window,
            columns: columns, rows: rows
        ).bulwark
    }

    /// Runs Bulwark and, when `reference` is given (e.g. `htop`), that program too, each in a session of
    /// its own of one private tmux server, both `columns`×`rows`, both measured over the same window: bytes
    /// written to the terminal and CPU time. The reference is quit with `q`, then signals.
    package static func compare(
        tmux: String, executable: String, arguments: [String], reference: [String]?, warmup: Duration, window: Duration,
        columns: Int = 80, rows: Int = 24
    ) async throws -> Comparison {
        let id = UUID().uuidString.lowercased()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-bench-console-\(id)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = Tmux(binary: tmux, socket: "bench-\(id)", folder: folder)
        // The pane stays after the program ends, so a failure can show what it printed; no status line,
        // so the program gets the whole 80×24.
        try "set -g remain-on-exit on\nset -g status off\n".write(toFile: folder + "/tmux.conf", atomically: true, encoding: .utf8)
        defer { server.killServer() }

        // Broker keys are dropped so that the run uses the embedded paper exchange.
        let command = (["exec", "env", "-u", "APCA_API_KEY_ID", "-u", "APCA_API_SECRET_KEY", "-u", "APCA_API_BASE_URL",
                        "-u", "NO_COLOR", "TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", executable] + arguments)
            .map(shellQuoted).joined(separator: " ")
        let output = folder + "/terminal-output"
        try Data().write(to: URL(fileURLWithPath: output))
        try server.command(["-f", folder + "/tmux.conf", "new-session", "-d", "-s", "bench", "-x", "\(columns)", "-y", "\(rows)", "-c", folder, command])
        try server.command(["pipe-pane", "-o", "-t", "bench", "cat >> " + shellQuoted(output)])
        guard let pid = Int32(try server.command(["display-message", "-p", "-t", "bench", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Failure(description: "tmux did not report the pane's process")
        }
        var other: (pid: Int32, output: String)?
        if let reference {
            let referenceCommand = (["exec", "env", "TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"] + reference)
                .map(shellQuoted).joined(separator: " ")
            let referenceOutput = folder + "/reference-output"
            try Data().write(to: URL(fileURLWithPath: referenceOutput))
            try server.command(["new-session", "-d", "-s", "reference", "-x", "\(columns)", "-y", "\(rows)", "-c", folder, referenceCommand])
            try server.command(["pipe-pane", "-o", "-t", "reference", "cat >> " + shellQuoted(referenceOutput)])
            guard let referencePID = Int32(try server.command(["display-message", "-p", "-t", "reference", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw Failure(description: "tmux did not report the reference pane's process")
            }
            other = (referencePID, referenceOutput)
        }

        let clock = ContinuousClock()
        try await waitWhileAlive(pid, for: warmup, server: server)
        let startBytes = fileSize(output)
        let startTicks = try cpuTicks(of: pid)
        let otherStart = try other.map { (bytes: fileSize($0.output), ticks: try cpuTicks(of: $0.pid)) }
        let start = clock.now
        try await waitWhileAlive(pid, for: window, server: server)
        let endBytes = fileSize(output)
        let endTicks = try cpuTicks(of: pid)
        let otherEnd = try other.map { (bytes: fileSize($0.output), ticks: try cpuTicks(of: $0.pid)) }
        let elapsed = clock.now - start
        let ticksPerSecond = Int(sysconf(Int32(_SC_CLK_TCK)))

        var referenceResult: Result?
        if let other, let otherStart, let otherEnd, let reference {
            let quit = await quit(other.pid, server: server, session: "reference", keys: ["q"])
            referenceResult = Result(
                command: reference.joined(separator: " "), bytes: otherEnd.bytes - otherStart.bytes, window: elapsed,
                cpuTicks: otherEnd.ticks - otherStart.ticks, ticksPerSecond: ticksPerSecond, quitCleanly: quit)
        }
        let quit = await quit(pid, server: server)
        let bulwark = Result(
            command: ([executable] + arguments).joined(separator: " "), bytes: endBytes - startBytes, window: elapsed,
            cpuTicks: endTicks - startTicks, ticksPerSecond: ticksPerSecond, quitCleanly: quit)
        return Comparison(bulwark: bulwark, reference: referenceResult)
    }

    /// Sleeps for `duration`, checking twice a second that the program still runs.
    private static func waitWhileAlive(_ pid: Int32, for duration: Duration, server: Tmux) async throws {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            guard isRunning(pid) else {
                let screen = (try? server.command(["capture-pane", "-p", "-t", "bench"])) ?? ""
                throw Failure(description: "the program ended before the measurement was over", screen: screen)
            }
            try await Task.sleep(for: min(.milliseconds(500), deadline - ContinuousClock.now))
        }
        guard isRunning(pid) else { throw Failure(description: "the program ended before the measurement was over") }
    }

    /// `keys` one after another (Bulwark's: `q` then `s`, Stop Bulwark in the quit dialog); SIGTERM after 10 s, SIGKILL
    /// after 5 more. True if the keys did it.
    private static func quit(_ pid: Int32, server: Tmux, session: String = "bench", keys: [String] = ["q", "s"]) async -> Bool {
        for (index, key) in keys.enumerated() {
            if index > 0 { try? await Task.sleep(for: .milliseconds(300)) }
            _ = try? server.command(["send-keys", "-t", session, key])
        }
        if await waitForExit(pid, within: .seconds(10)) { return true }
        kill(pid, SIGTERM)
        if await waitForExit(pid, within: .seconds(5)) { return false }
        kill(pid, SIGKILL)
        _ = await waitForExit(pid, within: .seconds(2))
        return false
    }

    private static func waitForExit(_ pid: Int32, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if !isRunning(pid) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return !isRunning(pid)
    }

    /// Running, and not a zombie waiting for tmux to reap it.
    private static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }

    /// utime + stime of `pid`, in clock ticks (fields 14 and 15 of /proc/<pid>/stat).
    static func cpuTicks(of pid: Int32) throws -> Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { throw Failure(description: "cannot read /proc/\(pid)/stat") }
        // After "pid (comm)" come the fields from 3 (state) on; utime is field 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
            throw Failure(description: "cannot parse /proc/\(pid)/stat")
        }
        return user + system
    }

    private static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    static func shellQuoted(_ word: String) -> String {
        if !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:".contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// One private tmux server (its own socket name), driven by running the tmux client.
    struct Tmux {
        var binary: String
        var socket: String
        var folder: String

        /// Runs `tmux -L socket arguments…` to its end; returns its standard output, throws if it fails.
        ///
        /// Spawned with `posix_spawn` and an empty signal mask, every signal at its default: a client
        /// started from a Swift concurrency thread would otherwise inherit that thread's blocked signals,
        /// and so would the server it forks, which then never sees SIGCHLD and never exits. Output goes to
        /// files, not pipes, so that a server that keeps the client's descriptors cannot hold us up.
        @discardableResult
        func command(_ arguments: [String]) throws -> String {
            let out = folder + "/tmux-client.out"
            let err = folder + "/tmux-client.err"
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var none = sigset_t()
            sigemptyset(&none)
            var all = sigset_t()
            sigfillset(&all)
            posix_spawnattr_setsigmask(&attributes, &none)
            posix_spawnattr_setsigdefault(&attributes, &all)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            let argv = [binary, "-L", socket] + arguments
            var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
            defer { for pointer in cArguments { free(pointer) } }
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, binary, &actions, &attributes, &cArguments, environ)
            guard spawned == 0 else { throw Failure(description: "cannot run \(binary): \(String(cString: strerror(spawned)))") }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            let stdout = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            let stderr = ((try? String(contentsOfFile: err, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            // WIFEXITED and WEXITSTATUS, which Swift does not import.
            let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            guard exitCode == 0 else {
                throw Failure(description: "tmux \(arguments.first ?? ""): \(stderr.isEmpty ? "exit \(exitCode)" : stderr)")
            }
            return stdout
        }

        /// Kills the server (and with it the pane's program, by SIGHUP) and removes its socket, which
        /// tmux leaves behind.
        func killServer() {
            _ = try? command(["kill-server"])
            let base = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            unlink("\(base)/tmux-\(getuid())/\(socket)")
        }
    }
}
