import Foundation
import TestSupport
import Testing

/// The ncurses console of `bulwark run`, driven through a real terminal (tmux) as an operator would:
/// what it shows, the keys, resizing, quitting and signals.
@Suite(.serialized)
struct ConsoleEndToEndTests {
    /// Titles of the five panes.
    static let panes = ["Services", "Positions", "Guard rejections", "Chaos", "Events"]

    /// The full console: header with Bulwark and the broker, every pane, the key-hint line.
    static func showsConsole(_ screen: TmuxSession.Screen) -> Bool {
        screen.header.contains("Bulwark") && screen.header.contains("SIM") && panes.allSatisfy { screen.contains($0) }
            && screen.bottom.contains("q quit") && screen.bottom.contains("h halt")
    }

    /// `bulwark run --dashboard-port 0` in an 80×24 terminal, once the console shows its panes.
    static func start(in folder: String, arguments: [String] = ["run", "--dashboard-port", "0"], environment: [String: String] = [:])
        async throws -> TmuxSession
    {
        let terminal = try TmuxSession.bulwark(arguments, in: folder, environment: environment)
        try await terminal.waitFor("console with its panes", within: 60, showsConsole)
        return terminal
    }

    static func tradingMode(_ folder: String) -> String? {
        (SupervisionTests.health(folder)?["trading"] as? [String: Any])?["mode"] as? String
    }

    /// The chaos pane's row for `mode` says ON (or OFF); folded, its summary line lists `mode` (or not).
    static func chaosRow(_ screen: TmuxSession.Screen, _ number: Int, _ mode: String, on: Bool) -> Bool {
        if let summary = screen.lines.first(where: { $0.contains("Chaos: ") }) {
            return on ? summary.contains(" ON ") && summary.contains(mode) : !summary.contains(mode)
        }
        return screen.lines.contains { $0.range(of: "\(number) \(mode) +\(on ? "ON" : "OFF")\\b", options: .regularExpression) != nil }
    }

    /// `bulwark` alone (no subcommand) starts the console: header with Bulwark, SIM, ACTIVE, the health and
    /// a clock; the Services, Positions, Guard rejections, Chaos and Events panes; the key-hint line.
    @Test func panesAppear() async throws {
        let folder = TemporaryFolder()
        let terminal = try await Self.start(in: folder.path, arguments: [], environment: ["DASHBOARD_PORT": "0"])
        let size = try terminal.size
        #expect(size.width == 80 && size.height == 24)
        let screen = try await terminal.waitFor("ACTIVE trading and a health word in the header", within: 30) {
            $0.header.contains("ACTIVE") && $0.header.range(of: "Health (OK|DEGRADED|FAILED)", options: .regularExpression) != nil
        }
        #expect(screen.header.range(of: #"\d\d:\d\d:\d\d"#, options: .regularExpression) != nil, "no clock in the header\(screen)")
        #expect(screen.contains("Chaos: all off"), "the Chaos pane should start folded\(screen)")
        try terminal.type("c")
        let open = try await terminal.waitFor("the Chaos pane unfolded", within: 5) { $0.contains("1 alpaca_down") }
        for (number, mode) in ["alpaca_down", "invalid_creds", "supervisor_crash", "state_corrupt", "uw_down", "rate_limit", "latency", "schema_drift"]
            .enumerated()
        {
            #expect(Self.chaosRow(open, number + 1, mode, on: false), "chaos \(number + 1) \(mode) not listed OFF\(open)")
        }
        #expect(!screen.contains("Pane is dead"))
    }

    /// `h` halts at once (header and state/health.json say HALTED); `r` opens the resume dialog with Cancel
    /// focused, and `y` confirms it: trading is ACTIVE again on screen and in the file.
    @Test func haltThenResume() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let terminal = try await Self.start(in: path)
        try await terminal.waitFor("ACTIVE in the header", within: 30) { $0.header.contains("ACTIVE") }

        try terminal.type("h")
        try await terminal.waitFor("HALTED in the header", within: 5) { $0.header.contains("HALTED") }
        let halted = try await eventually(within: 5) { Self.tradingMode(path) == "HALTED" }
        #expect(halted, "health.json trading: \(String(describing: SupervisionTests.health(path)?["trading"]))")

        try terminal.type("r")
        let dialog = try await terminal.waitFor(text: "Resume trading?", within: 5)
        #expect(dialog.contains("[> Cancel <]"), "Cancel should have the focus when the dialog opens\(dialog)")
        try terminal.type("y")
        try await terminal.waitFor("ACTIVE in the header after resuming", within: 15) {
            $0.header.contains("ACTIVE") && !$0.contains("Resume trading?")
        }
        let active = try await eventually(within: 5) { Self.tradingMode(path) == "ACTIVE" }
        #expect(active, "health.json trading: \(String(describing: SupervisionTests.health(path)?["trading"]))")
    }

    /// Chaos 2 (invalid_creds) switched on with `2` then `y`: within 5 s the header says HALTED and
    /// FAILED_CONFIG and the chaos pane shows it ON; `2` again switches it off at once, with no dialog.
    @Test func invalidCredentialsFromTheKeyboard() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let terminal = try await Self.start(in: path)
        try await terminal.waitFor("ACTIVE in the header", within: 30) { $0.header.contains("ACTIVE") }

        try terminal.type("2")
        let dialog = try await terminal.waitFor(text: "Switch chaos 2 ON?", within: 5)
        #expect(dialog.contains("invalid_creds"), "the dialog should name the mode\(dialog)")
        try terminal.type("y")
        let confirmed = ContinuousClock.now
        let failed = try await terminal.waitFor("HALTED and FAILED_CONFIG in the header", until: confirmed + .seconds(5)) {
            $0.header.contains("HALTED") && $0.header.contains("FAILED_CONFIG")
        }
        #expect(Self.chaosRow(failed, 2, "invalid_creds", on: true), "chaos 2 not shown ON\(failed)")
        let inFile = try await eventually(within: 10) {
            let health = SupervisionTests.health(path)
            return health?["status"] as? String == "FAILED" && health?["reason"] as? String == "FAILED_CONFIG" && Self.tradingMode(path) == "HALTED"
        }
        #expect(inFile, "health.json: \(String(describing: SupervisionTests.health(path)))")

        try terminal.type("2")
        let off = try await terminal.waitFor("chaos 2 OFF", within: 5) { Self.chaosRow($0, 2, "invalid_creds", on: false) }
        #expect(!off.contains("Switch chaos"), "switching a mode off should not ask\(off)")
    }

    /// Shrunk to 60×20 the console says the size it needs and the size it has; back at 80×24 the panes return.
    @Test func tooSmallAndBack() async throws {
        let folder = TemporaryFolder()
        let terminal = try await Self.start(in: folder.path)
        try terminal.resize(width: 60, height: 20)
        let small = try await terminal.waitFor(text: "Bulwark needs at least 80×24; this terminal is 60×20", within: 5)
        #expect(!small.contains("Guard rejections"), "panes drawn in a terminal too small for them\(small)")
        try terminal.resize(width: 80, height: 24)
        let back = try await terminal.waitFor("the panes again at 80×24", within: 5, Self.showsConsole)
        #expect(!back.contains("Bulwark needs at least"))
    }

    /// `q` asks Detach / Stop Bulwark / Cancel (Cancel focused) and `s` stops: exit status 0 and the
    /// terminal restored (normal screen, cursor visible, canonical input with echo).
    @Test func quitRestoresTheTerminal() async throws {
        let folder = TemporaryFolder()
        let terminal = try await Self.start(in: folder.path)
        try terminal.type("q")
        let dialog = try await terminal.waitFor(text: "Quit the console?", within: 5)
        #expect(dialog.contains("[> Cancel <]"), "Cancel should have the focus when the dialog opens\(dialog)")
        #expect(dialog.contains("[ Detach (keep trading) ]") && dialog.contains("[ Stop Bulwark ]"), "\(dialog)")
        try terminal.type("s")
        let exit = try await terminal.waitForExit(within: 30)
        let after = try terminal.capture()
        #expect(exit == 0, "exit: \(String(describing: exit))\(after)")
        try Self.expectRestored(terminal)
    }

    /// With BULWARK_ON_HANGUP=stop, SIGHUP (the SSH connection dropped) stops it gracefully: exit 0,
    /// state/trading_state.json saved and readable, state/health.json written, and the terminal restored.
    @Test func sighupSavesAndExits() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let terminal = try await Self.start(in: path, environment: ["BULWARK_ON_HANGUP": "stop"])
        try terminal.send(SIGHUP)
        let exit = try await terminal.waitForExit(within: 30)
        let after = try terminal.capture()
        #expect(exit == 0, "exit: \(String(describing: exit))\(after)")

        let data = try #require(FileManager.default.contents(atPath: path + "/state/trading_state.json"), "state/trading_state.json missing")
        let state = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "state/trading_state.json is not a JSON object")
        #expect(state["schema_version"] != nil, "no schema_version in \(state.keys.sorted())")
        let health = try #require(SupervisionTests.health(path), "state/health.json missing or unreadable")
        #expect(health["status"] is String && health["trading"] is [String: Any], "health.json: \(health)")
        try Self.expectRestored(terminal)
    }

    /// By default SIGHUP detaches: the terminal is restored and released, Bulwark keeps running headless
    /// (its log says so), and SIGTERM to the pid in state/.lock then stops it.
    @Test func sighupDetaches() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let terminal = try await Self.start(in: path)
        let pid = try #require(try terminal.programPID)
        try terminal.send(SIGHUP)
        let detached = try await eventually(within: 15) { Self.log(path).contains("console detached") }
        #expect(detached, "no detach in the log: \(Self.log(path).suffix(2000))")
        try await terminal.waitFor("the panes gone from the screen", within: 10) { !$0.contains("Guard rejections") }
        let restored = try await eventually(within: 10) { (try? terminal.alternateScreenOn) == false }
        #expect(restored, "still on the alternate screen")
        #expect(kill(pid, 0) == 0, "Bulwark ended on SIGHUP")
        #expect(Self.lockPID(path) == pid)
        kill(pid, SIGTERM)
        let ended = try await eventually(within: 30) { kill(pid, 0) != 0 || Self.isZombie(pid) }
        #expect(ended, "SIGTERM did not stop the detached Bulwark")
    }

    static func log(_ folder: String) -> String {
        (try? String(contentsOfFile: folder + "/logs/bulwark.log", encoding: .utf8)) ?? ""
    }

    /// The pid that holds state/.lock.
    static func lockPID(_ folder: String) -> pid_t? {
        let text = (try? String(contentsOfFile: folder + "/state/.lock", encoding: .utf8)) ?? ""
        return pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func isZombie(_ pid: pid_t) -> Bool {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let end = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: end)...].hasPrefix(" Z")
    }

    /// Without a terminal, `bulwark` alone refuses with exit 64 and points to --headless.
    @Test func noTerminal() async throws {
        let folder = TemporaryFolder()
        let output = try await BinaryRunner.run([], in: folder.path, environment: ["DASHBOARD_PORT": "0"])
        #expect(output.status == 64, "stdout: \(output.stdout) stderr: \(output.stderr)")
        #expect(output.stderr.contains("--headless"))
    }

    /// After the program ended: the normal screen (not the alternate one), the cursor shown, and the line
    /// discipline back to canonical input with echo.
    static func expectRestored(_ terminal: TmuxSession, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let screen = try terminal.capture()
        let alternate = try terminal.alternateScreenOn
        let cursor = try terminal.cursorVisible
        #expect(!alternate, "still on the alternate screen\(screen)", sourceLocation: sourceLocation)
        #expect(cursor, "cursor left hidden\(screen)", sourceLocation: sourceLocation)
        #expect(!screen.contains("Guard rejections"), "the panes are still on the screen\(screen)", sourceLocation: sourceLocation)
        let modes = try terminal.terminalModes().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init)
        #expect(
            modes.contains("icanon") && modes.contains("echo"), "terminal left in raw mode: \(modes.joined(separator: " "))",
            sourceLocation: sourceLocation)
    }
}
