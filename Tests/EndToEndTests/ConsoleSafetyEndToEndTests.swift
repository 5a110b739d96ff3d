import Foundation
import TestSupport
import Testing

/// The console's safety state through a real terminal (tmux): always live and one key away.
@Suite(.serialized)
struct ConsoleSafetyEndToEndTests {
    /// Frozen with `f`, `touch state/HALT` still reaches the header within 2 s: HALTED next to the FROZEN
    /// badge, and the banner says the way out is to remove state/HALT.
    @Test func frozenDisplayShowsTheKillSwitch() async throws {
        let folder = TemporaryFolder()
        let terminal = try await ConsoleEndToEndTests.start(in: folder.path)
        try await terminal.waitFor("ACTIVE in the header", within: 30) { $0.header.contains("ACTIVE") }
        try terminal.type("f")
        try await terminal.waitFor("FROZEN in the header", within: 5) { $0.header.contains("FROZEN") }
        let touched = ContinuousClock.now
        #expect(FileManager.default.createFile(atPath: folder.path + "/state/HALT", contents: nil))
        let screen = try await terminal.waitFor("HALTED in the frozen header", until: touched + .seconds(2)) {
            $0.header.contains("HALTED") && $0.header.contains("FROZEN")
        }
        let banner = try await terminal.waitFor("the way out in the banner", within: 5) { $0.contains("remove state/HALT") }
        #expect(!banner.contains("press r to resume"), "the banner offers r while state/HALT refuses it\(banner)")
        _ = screen
    }

    /// `?` opens the help; `h` there halts at once (the header says HALTED, the help is closed).
    @Test func haltFromTheHelp() async throws {
        let folder = TemporaryFolder()
        let terminal = try await ConsoleEndToEndTests.start(in: folder.path)
        try await terminal.waitFor("ACTIVE in the header", within: 30) { $0.header.contains("ACTIVE") }
        try terminal.type("?")
        try await terminal.waitFor(text: "Esc or ? closes this help", within: 5)
        try terminal.type("h")
        let halted = try await terminal.waitFor("HALTED in the header", within: 5) { $0.header.contains("HALTED") }
        #expect(!halted.contains("Esc or ? closes this help"), "the help should close when h halts\(halted)")
    }

    /// Ctrl-C asks, like `q` (Bulwark keeps running); Esc cancels; after `q`, `s` the shell has its
    /// interrupt character back.
    @Test func controlCAsks() async throws {
        let folder = TemporaryFolder()
        let terminal = try await ConsoleEndToEndTests.start(in: folder.path)
        try terminal.press("C-c")
        let dialog = try await terminal.waitFor(text: "Quit the console?", within: 5)
        #expect(dialog.contains("[> Cancel <]"), "\(dialog)")
        #expect(try terminal.exited() == nil)
        try terminal.press("Escape")
        try await terminal.waitFor("the dialog closed", within: 5) { !$0.contains("Quit the console?") && $0.header.contains("Bulwark") }
        try terminal.type("q")
        try await terminal.waitFor(text: "Quit the console?", within: 5)
        try terminal.type("s")
        let exit = try await terminal.waitForExit(within: 30)
        #expect(exit == 0)
        let modes = try terminal.terminalModes()
        #expect(modes.contains("intr = ^C"), "\(modes)")
    }

    /// Under `LC_ALL=C` (no UTF-8) the screen is seven-bit with no `?` stand-ins: the guard's cooldown
    /// limit reads ">= 300s", and the only `?` left are the help key's own.
    @Test func asciiScreenUnderCLocale() async throws {
        let folder = TemporaryFolder()
        let exchange = try await BusyExchange.start(seed: 15, key: "PKTEST15", secret: "secret-15-xxxxxxxx", token: "uw-token-15", in: folder.path)
        var environment = exchange.environment
        environment["MIN_COOLDOWN_MINUTES"] = "5"
        environment["LC_ALL"] = "C"
        let terminal = try TmuxSession.bulwark(["run", "--dashboard-port", "0"], in: folder.path, environment: environment)
        let screen = try await terminal.waitFor("a cooldown rejection in ASCII", within: 60) { $0.contains("limit >= 300s") }
        let text = screen.text
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII on a C-locale screen\(screen)")
        let stripped = text.replacingOccurrences(of: "? help", with: "").replacingOccurrences(of: "? for help", with: "")
        #expect(!stripped.contains("?"), "a ? stand-in on the screen\(screen)")
        _ = exchange
    }
}
