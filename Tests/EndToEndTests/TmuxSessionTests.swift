import Foundation
import TestSupport
import Testing

/// The tmux harness itself, on the backend's `console-demo`: when a console test fails, this one says
/// whether the harness (typing, reading, resizing, exit status, terminal checks) can be trusted.
struct TmuxSessionTests {
    /// console-demo in an 80×24 tmux pane sees that size, a typed key and a resize; `q` ends it with exit 0
    /// and the terminal restored, its closing line on the normal screen.
    @Test func harnessDrivesTheDemo() async throws {
        let folder = TemporaryFolder()
        let terminal = try TmuxSession.bulwark(["console-demo", "--seconds", "60"], in: folder.path)
        try await terminal.waitFor("the demo at 80x24", within: 30) { $0.header.contains("Bulwark console demo") && $0.contains("size 80x24") }
        #expect(try terminal.alternateScreenOn)
        try terminal.type("z")
        try await terminal.waitFor("the key counted", within: 5) { $0.lines.contains { $0.contains("z") && $0.contains("(1)") } }
        try terminal.resize(width: 100, height: 30)
        try await terminal.waitFor(text: "size 100x30", within: 5)
        try terminal.type("q")
        let exit = try await terminal.waitForExit(within: 15)
        let after = try terminal.capture()
        #expect(exit == 0, "exit: \(String(describing: exit))\(after)")
        try ConsoleEndToEndTests.expectRestored(terminal)
        #expect(try terminal.capture().contains("console-demo:"))
    }
}
