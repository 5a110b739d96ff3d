import Foundation
import TestSupport
import Testing

/// `bulwark attach`, driven through tmux: the console of a running instance (headless, or another
/// terminal's `bulwark run`) through its control socket; read-only; quitting; no instance at all.
@Suite(.serialized)
struct AttachTests {
    /// `trading_state.mode` in state/trading_state.json.
    static func tradingMode(_ folder: String) -> String? {
        guard let data = FileManager.default.contents(atPath: folder + "/state/trading_state.json"),
            let state = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return nil }
        return (state["trading_state"] as? [String: Any])?["mode"] as? String
    }

    /// `bulwark run --headless` in `folder`, once its control socket is there and trading is ACTIVE.
    static func headless(in folder: String) async throws -> RunningBinary {
        let binary = try RunningBinary(["run", "--headless", "--dashboard-port", "0"], in: folder)
        let ready = try await eventually(within: 60) {
            FileManager.default.fileExists(atPath: folder + "/state/control.sock") && tradingMode(folder) == "ACTIVE"
        }
        try #require(ready, "no control socket or no ACTIVE trading within 60 s; stderr: \(binary.stderr.suffix(2000))")
        return binary
    }

    /// `bulwark attach arguments…` in an 80×24 tmux pane, once it shows the instance's panes live.
    static func attach(in folder: String, _ arguments: [String] = []) async throws -> TmuxSession {
        let terminal = try TmuxSession.bulwark(["attach"] + arguments, in: folder)
        try await terminal.waitFor("the attached console, live and ACTIVE", within: 30) {
            ConsoleEndToEndTests.showsConsole($0) && $0.header.contains("ACTIVE")
        }
        return terminal
    }

    static func stop(_ binary: RunningBinary) async throws {
        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 30) == 0, "\(binary.stderr.suffix(2000))")
    }

    /// Attached to a headless instance the console shows its panes; `h` halts it: HALTED in the header and
    /// in state/trading_state.json.
    @Test func haltFromAnAttachedConsole() async throws {
        let folder = TemporaryFolder()
        let binary = try await Self.headless(in: folder.path)
        let terminal = try await Self.attach(in: folder.path)
        try terminal.type("h")
        try await terminal.waitFor("HALTED in the header", within: 10) { $0.header.contains("HALTED") }
        let halted = try await eventually(within: 10) { Self.tradingMode(folder.path) == "HALTED" }
        #expect(halted, "trading_state.json says \(String(describing: Self.tradingMode(folder.path)))")
        try await Self.stop(binary)
    }

    /// A read-only attach changes nothing: h, r, x and a chaos key are refused on screen, nothing is
    /// sent, and the state file still says ACTIVE.
    @Test func readOnlyChangesNothing() async throws {
        let folder = TemporaryFolder()
        let binary = try await Self.headless(in: folder.path)
        let terminal = try await Self.attach(in: folder.path, ["--readonly"])
        #expect(try terminal.capture().header.contains("READ-ONLY"))
        for key in ["h", "r", "x", "2"] {
            try terminal.type(key)
            try await terminal.waitFor("the read-only refusal of \(key)", within: 5) { $0.bottom.contains("Read-only console") }
            try terminal.press("Escape")
            try await terminal.waitFor("the hints back", within: 5) { $0.bottom.contains("q quit") }
        }
        let screen = try terminal.capture()
        #expect(screen.header.contains("ACTIVE"), "\(screen)")
        #expect(ConsoleEndToEndTests.chaosRow(screen, 2, "invalid_creds", on: false), "\(screen)")
        #expect(Self.tradingMode(folder.path) == "ACTIVE")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/state/HALT"))
        try await Self.stop(binary)
    }

    /// `q` in an attached console ends only the console (exit 0, terminal restored); the instance keeps
    /// running and a new attach sees it.
    @Test func quittingAnAttachLeavesTheServiceRunning() async throws {
        let folder = TemporaryFolder()
        let binary = try await Self.headless(in: folder.path)
        let terminal = try await Self.attach(in: folder.path)
        try terminal.type("q")
        let exit = try await terminal.waitForExit(within: 15)
        let after = try terminal.capture()
        #expect(exit == 0, "exit: \(String(describing: exit))\(after)")
        try ConsoleEndToEndTests.expectRestored(terminal)
        let status = try await binary.exitStatus(within: 0)
        #expect(status == nil, "the instance stopped with its console")
        _ = try await Self.attach(in: folder.path)
        try await Self.stop(binary)
    }

    /// Killing the tmux session of `bulwark run` (SIGHUP) detaches its console: the service keeps
    /// running, a new attach sees it, and SIGTERM to the pid in state/.lock stops it.
    @Test func killedSessionKeepsTheServiceRunning() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let first = try await ConsoleEndToEndTests.start(in: path)
        try await first.waitFor("ACTIVE in the header", within: 30) { $0.header.contains("ACTIVE") }
        let pid = try #require(ConsoleEndToEndTests.lockPID(path))
        try first.killSession()
        let detached = try await eventually(within: 15) { ConsoleEndToEndTests.log(path).contains("console detached") }
        #expect(detached, "no detach in the log: \(ConsoleEndToEndTests.log(path).suffix(2000))")
        #expect(kill(pid, 0) == 0 && !ConsoleEndToEndTests.isZombie(pid), "Bulwark ended with its terminal")
        _ = try await Self.attach(in: path)
        kill(pid, SIGTERM)
        let ended = try await eventually(within: 30) { kill(pid, 0) != 0 || ConsoleEndToEndTests.isZombie(pid) }
        #expect(ended, "SIGTERM did not stop the detached Bulwark")
    }

    /// When the instance stops, the attached console says DISCONNECTED (not ACTIVE) and keeps trying; a
    /// new instance on the same folder is shown live again without touching the console.
    @Test func reconnectsAfterTheInstanceRestarts() async throws {
        let folder = TemporaryFolder()
        let first = try await Self.headless(in: folder.path)
        let terminal = try await Self.attach(in: folder.path)
        try await Self.stop(first)
        let lost = try await terminal.waitFor("DISCONNECTED in the header", within: 15) { $0.header.contains("DISCONNECTED") }
        #expect(!lost.header.contains("ACTIVE"), "stale data shown as live\(lost)")
        let second = try await Self.headless(in: folder.path)
        try await terminal.waitFor("the console live again", within: 30) { $0.header.contains("ACTIVE") && !$0.contains("DISCONNECTED") }
        try await Self.stop(second)
    }

    /// With BULWARK_ON_HANGUP=halt, SIGHUP to `bulwark run` halts trading (HALTED in the state file) and
    /// detaches: the service keeps running until SIGTERM.
    @Test func hangupHaltThenDetach() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let terminal = try await ConsoleEndToEndTests.start(in: path, environment: ["BULWARK_ON_HANGUP": "halt"])
        try await terminal.waitFor("ACTIVE in the header", within: 30) { $0.header.contains("ACTIVE") }
        let pid = try #require(ConsoleEndToEndTests.lockPID(path))
        try terminal.send(SIGHUP)
        let halted = try await eventually(within: 15) { Self.tradingMode(path) == "HALTED" }
        #expect(halted, "trading_state.json says \(String(describing: Self.tradingMode(path)))")
        let detached = try await eventually(within: 15) { ConsoleEndToEndTests.log(path).contains("console detached") }
        #expect(detached, "no detach in the log")
        #expect(kill(pid, 0) == 0 && !ConsoleEndToEndTests.isZombie(pid), "Bulwark ended on SIGHUP")
        kill(pid, SIGTERM)
        let ended = try await eventually(within: 30) { kill(pid, 0) != 0 || ConsoleEndToEndTests.isZombie(pid) }
        #expect(ended, "SIGTERM did not stop the detached Bulwark")
    }

    /// Detach chosen in `bulwark run`'s q dialog releases the terminal (restored, the program no longer
    /// drawing) and Bulwark keeps trading; an attach then shows it.
    @Test func detachFromTheQuitDialog() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let terminal = try await ConsoleEndToEndTests.start(in: path)
        let pid = try #require(ConsoleEndToEndTests.lockPID(path))
        try terminal.type("q")
        try await terminal.waitFor(text: "Quit the console?", within: 5)
        try terminal.type("d")
        try await terminal.waitFor("the panes gone", within: 10) { !$0.contains("Guard rejections") }
        let restored = try await eventually(within: 10) { (try? terminal.alternateScreenOn) == false }
        let screen = try terminal.capture()
        #expect(restored, "still on the alternate screen\(screen)")
        #expect(kill(pid, 0) == 0 && !ConsoleEndToEndTests.isZombie(pid), "Bulwark stopped on Detach")
        _ = try await Self.attach(in: path)
        kill(pid, SIGTERM)
        let ended = try await eventually(within: 30) { kill(pid, 0) != 0 || ConsoleEndToEndTests.isZombie(pid) }
        #expect(ended, "SIGTERM did not stop the detached Bulwark")
    }

    /// With no instance running, attach says DISCONNECTED and keeps trying; `h` creates state/HALT and
    /// says so.
    @Test func noInstanceThenHaltByFile() async throws {
        let folder = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path + "/state", withIntermediateDirectories: true)
        let terminal = try TmuxSession.bulwark(["attach"], in: folder.path)
        let screen = try await terminal.waitFor("DISCONNECTED in the header", within: 30) { $0.header.contains("DISCONNECTED") }
        #expect(screen.contains("no Bulwark is running"), "\(screen)")
        try terminal.type("h")
        try await terminal.waitFor(text: "Halted by the kill switch file state/HALT; remove it to allow a resume.", within: 5)
        #expect(FileManager.default.fileExists(atPath: folder.path + "/state/HALT"))
        let status = try await terminal.waitForExit(within: 0)
        #expect(status == nil, "attach ended with no instance to attach to")
    }
}
