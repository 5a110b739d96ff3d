import Foundation
import TestSupport
import Testing

struct ThemeCommandTests {
    /// `bulwark theme check` prints ok for every shipped theme and exits 0.
    @Test(arguments: ["default", "high-contrast", "solarized-dark", "mono"])
    func shippedThemesCheckOk(name: String) async throws {
        let folder = TemporaryFolder()
        let file = BinaryRunner.packageRoot.appendingPathComponent("themes/\(name).theme").path
        let output = try await BinaryRunner.run(["theme", "check", file], in: folder.path)
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout == "ok\n")
    }

    /// Each problem is printed as FILE:LINE: message; errors exit 65, warnings alone exit 0.
    @Test func problemsAreReportedWithTheirLines() async throws {
        let folder = TemporaryFolder()
        try "text = pink\nheadr = red\nborder\n".write(toFile: folder.path + "/bad.theme", atomically: true, encoding: .utf8)
        let bad = try await BinaryRunner.run(["theme", "check", "bad.theme"], in: folder.path)
        #expect(bad.status == 65)
        #expect(bad.stdout.split(separator: "\n") == [
            "bad.theme:1: error: text: unknown colour 'pink'",
            "bad.theme:2: warning: unknown key 'headr' (ignored)",
            "bad.theme:3: error: expected 'key = style', found no '='",
        ])
        try "text = red\nheadr = red\n".write(toFile: folder.path + "/warn.theme", atomically: true, encoding: .utf8)
        let warned = try await BinaryRunner.run(["theme", "check", "warn.theme"], in: folder.path)
        #expect(warned.status == 0)
        #expect(warned.stdout == "warn.theme:2: warning: unknown key 'headr' (ignored)\n")
        let missing = try await BinaryRunner.run(["theme", "check", "nope.theme"], in: folder.path)
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("nope.theme"))
    }

    /// Without a terminal the ncurses backend refuses cleanly: a message naming --headless and exit 64.
    @Test func consoleWithoutATerminal() async throws {
        let folder = TemporaryFolder()
        let output = try await BinaryRunner.run(["console-demo", "--seconds", "1"], in: folder.path)
        #expect(output.status == 64)
        #expect(output.stderr.contains("--headless"))
        #expect(output.stdout.isEmpty)
    }
}
