import Foundation
import TestSupport
import Testing

/// The console's event history through a real terminal (tmux): the `/` filter, 10,000 lines scrolled back
/// to the first in the log view, and the log view under `LC_ALL=C`.
@Suite(.serialized)
struct EventHistoryEndToEndTests {
    /// `/` opens the filter field (where `h` is text: nothing halts), Enter filters the Events pane and
    /// its title names the filter; Esc, then `h` halts.
    @Test func slashFiltersTheEventsPane() async throws {
        let folder = TemporaryFolder()
        let terminal = try await ConsoleEndToEndTests.start(in: folder.path)
        try await terminal.waitFor("ACTIVE in the header", within: 30) { $0.header.contains("ACTIVE") }
        try terminal.type("/h")
        try await terminal.waitFor(text: "Esc, then h to halt", within: 5)
        try terminal.press("BSpace")
        try terminal.type("Startup")
        try terminal.press("Enter")
        let screen = try await terminal.waitFor("the filter in the Events title", within: 5) { $0.contains("Events /Startup/") }
        let title = try #require(screen.lines.firstIndex { $0.contains("Events /Startup/") })
        let first = screen.lines[title + 1]
        #expect(first.contains("Startup"), "the first filtered line\(screen)")
        #expect(screen.header.contains("ACTIVE"), "h typed in the field halted\(screen)")
        try terminal.type("/")
        try terminal.press("Escape")
        try await terminal.waitFor("the filter cleared", within: 5) { $0.contains("Events") && !$0.contains("/Startup/") }
        try terminal.type("h")
        try await terminal.waitFor("HALTED in the header", within: 5) { $0.header.contains("HALTED") }
    }

    /// With 10,000 lines added (the debug build's test hook), `l` then `g` shows the oldest line held at
    /// the top ("Log 1-… of 10000…"), and `j` moves one line on.
    @Test func tenThousandLinesScrollToTheFirst() async throws {
        let folder = TemporaryFolder()
        let terminal = try await ConsoleEndToEndTests.start(in: folder.path, environment: ["BULWARK_TEST_EVENT_LINES": "10000"])
        try await terminal.waitFor("ACTIVE in the header", within: 30) { $0.header.contains("ACTIVE") }
        try terminal.type("l")
        try await terminal.waitFor("the log view, full", within: 5) { $0.contains("[following]") && $0.contains("of 10000") }
        try terminal.type("g")
        let top = try await terminal.waitFor("the first line at the top", within: 5) { $0.contains("Log 1-") }
        let titleRow = try #require(top.lines.firstIndex { $0.contains("Log 1-") })
        #expect(top.lines[titleRow].contains("of 10000"), "\(top)")
        let firstLine = top.lines[titleRow + 1]
        let number = try #require(Self.testLineNumber(firstLine), "the oldest line held is a test line\(top)")
        try terminal.type("j")
        // The history is full: a live event arriving meanwhile drops the oldest line, so the view's index or
        // its first line moves on with it. Either way `j` leaves a later line at the top, never an earlier one.
        let moved = try await terminal.waitFor("one line on", within: 5) { screen in
            guard let row = screen.lines.firstIndex(where: { $0.contains("Log ") && $0.contains(" of 10000") }), row + 1 < screen.lines.count else { return false }
            return (Self.testLineNumber(screen.lines[row + 1]) ?? 0) > number
        }
        let next = try #require(moved.lines.firstIndex { $0.contains("Log ") && $0.contains(" of 10000") })
        #expect((Self.testLineNumber(moved.lines[next + 1]) ?? 0) > number, "\(moved)")
        try terminal.type("q")
        try await terminal.waitFor("the panes again", within: 5) { $0.contains("Events") && !$0.contains("Log 2-") }
    }

    /// Under `LC_ALL=C` the log view is seven-bit with no `?` stand-ins (the help key's own aside).
    @Test func logViewUnderCLocale() async throws {
        let folder = TemporaryFolder()
        let terminal = try await ConsoleEndToEndTests.start(in: folder.path, environment: ["LC_ALL": "C"])
        try await terminal.waitFor("ACTIVE in the header", within: 30) { $0.header.contains("ACTIVE") }
        try terminal.type("l")
        let screen = try await terminal.waitFor("the log view", within: 5) { $0.contains("[following]") && $0.contains("Startup") }
        let text = screen.text
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII on a C-locale screen\(screen)")
        let stripped = text.replacingOccurrences(of: "? help", with: "")
        #expect(!stripped.contains("?"), "a ? stand-in on the screen\(screen)")
    }

    /// The N of "Test line N of 10000" in a log line.
    static func testLineNumber(_ line: String) -> Int? {
        guard let range = line.range(of: #"Test line [0-9]+ of"#, options: .regularExpression) else { return nil }
        return Int(line[range].dropFirst("Test line ".count).dropLast(" of".count))
    }
}
