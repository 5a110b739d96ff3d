import Foundation
import TestSupport
import Testing

/// The console of `bulwark run`, in a real terminal, never shows a configured secret: every view an
/// operator can open is read off the screen and scanned, along with what the headless test scans.
@Suite(.serialized)
struct ConsoleSecretTests {
    /// `bulwark run` (the console) trading against a standalone exchange that knows secrets of every
    /// printable class: no form or fragment of a secret appears on the screen — main view at 80×24 and
    /// 200×60, help, dialogs, the details of every service, position and recent event, the AUTH error that
    /// invalid_creds brings — nor in the scrollback, the logs, the state and health files or the
    /// dashboard's answers.
    @Test func consoleNeverShowsASecret() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let (exchange, url) = try await SecretScan.startExchange(in: path)
        let environment = SecretScan.environment(exchange: url)
        let terminal = try TmuxSession.bulwark(["run"], in: path, environment: environment, history: 2_000)
        try await terminal.waitFor("console with its panes", within: 60, Self.showsConsole)
        let filled = try await eventually(within: 60) {
            (try? String(contentsOfFile: path + "/logs/orders.jsonl", encoding: .utf8))?.contains("\"filled\"") == true
        }
        let afterTrading = try terminal.capture()
        #expect(filled, "no order filled within 60 s\(afterTrading)")

        var outputs = try await Self.tour(terminal, "80×24", eventRows: 6, dialogs: true)

        // An error with the secrets in play: the broker refuses the credentials.
        try terminal.type("2")
        try await terminal.waitFor(text: "Switch chaos 2 ON?", within: 5)
        try terminal.type("y")
        try await terminal.waitFor("HALTED and FAILED_CONFIG in the header", within: 15) {
            $0.header.contains("HALTED") && $0.header.contains("FAILED_CONFIG")
        }
        // At 80 columns the newest events may be cut before the class is named (which path hears of the
        // refusal first varies: the reconciliation, the snapshot, a service's detail line).
        let refused = try? await terminal.waitFor("the refusal on screen", within: 20) {
            $0.contains("AUTH_ERROR") || $0.contains("refused the credentials")
        }
        let afterRefusal = try terminal.capture()
        #expect(refused != nil, "no refusal on screen\(afterRefusal)")
        outputs += try Self.look(terminal, "80×24 after invalid_creds")

        try terminal.resize(width: 200, height: 60)
        try await terminal.waitFor("the console at 200×60", within: 10) {
            $0.lines.count >= 60 && $0.header.count > 150 && Self.showsConsole($0)
        }
        let named = try? await terminal.waitFor("the AUTH error in the events at 200×60", within: 20) { $0.contains("AUTH_ERROR") }
        let wide = try terminal.capture()
        #expect(named != nil, "no AUTH_ERROR on screen\(wide)")
        outputs += try await Self.tour(terminal, "200×60 after invalid_creds", eventRows: 12, dialogs: false, tall: true)
        // The console's log goes to logs/bulwark.log, which names the port the dashboard was given.
        let log = (try? String(contentsOfFile: path + "/logs/bulwark.log", encoding: .utf8)) ?? ""
        let port = try #require(RunningBinary.port(in: log, line: "dashboard listening"), "no dashboard address in logs/bulwark.log")
        outputs += await SecretScan.dashboardAnswers("http://127.0.0.1:\(port)")

        try terminal.type("q")
        try await terminal.waitFor(text: "Quit the console?", within: 5)
        try terminal.type("s")
        let exit = try await terminal.waitForExit(within: 60)
        let afterExit = try terminal.capture()
        #expect(exit == 0, "exit status \(String(describing: exit))\(afterExit)")
        outputs += try Self.look(terminal, "the terminal after the console ended")
        exchange.send(SIGTERM)
        _ = try await exchange.exitStatus(within: 30)

        outputs += SecretScan.files(under: path + "/logs") + SecretScan.files(under: path + "/state")
        #expect(outputs.contains { $0.0.hasSuffix("health.json") } && outputs.contains { $0.0.hasSuffix("trading_state.json") })
        let details = outputs.filter { $0.0.contains("details") }.map(\.0)
        #expect(details.contains { $0.contains("Services") } && details.contains { $0.contains("Events") }, "\(details)")
        #expect(outputs.contains { $0.0.contains("details") && $0.1.contains("AUTH_ERROR") }, "the AUTH error's details were not seen")
        let found = SecretScan.leaks(SecretScan.secrets, in: outputs, fragments: true)
        #expect(found.isEmpty, "\(found)")
    }

    /// The full console on a paper broker: the header, every pane, the key hints.
    static func showsConsole(_ screen: TmuxSession.Screen) -> Bool {
        screen.header.contains("Bulwark") && screen.header.contains("PAPER") && ConsoleEndToEndTests.panes.allSatisfy { screen.contains($0) }
            && screen.bottom.contains("q quit")
    }

    /// What the pane shows now, as `capture-pane -p`, and again with escape sequences and the scrollback.
    static func look(_ terminal: TmuxSession, _ place: String) throws -> [(String, String)] {
        [(place, try terminal.text()), (place + " (with escapes and history)", try terminal.text(escapes: true, history: true))]
    }

    /// Every view of the console from the main screen, each looked at: the main screen, the help overlay;
    /// with the display frozen, the details (`Enter`) of each row of Services, Positions and Guard
    /// rejections and of the newest `eventRows` events; with `dialogs`, each confirmation dialog. Starts
    /// and ends with the focus on Services.
    /// `tall`: the terminal has the tall layout (40 rows and more), where Tab also visits Open orders.
    static func tour(_ terminal: TmuxSession, _ label: String, eventRows: Int, dialogs: Bool, tall: Bool = false) async throws -> [(String, String)] {
        var seen = try look(terminal, "\(label) main screen")
        seen += try await visit(terminal, "\(label) help", marker: "this help (Esc closes)") { try terminal.type("?") }

        try terminal.type("f")
        try await terminal.waitFor("FROZEN in the header", within: 5) { $0.header.contains("FROZEN") }
        // Unfold the Chaos pane (`c` focuses it) so that Tab visits every pane; back to Services.
        try terminal.type("c")
        try terminal.press("Tab")
        try terminal.press("Tab")
        let panes =
            [("Services", "Last error:", 8), ("Positions", "Average entry:", 4), ("Guard rejections", "Check:", 3)]
            + (tall ? [("Open orders", "Client order id:", 3)] : []) + [("Chaos", "Rehearses:", 0), ("Events", "Level:", eventRows)]
        for (pane, marker, rows) in panes {
            try terminal.type("g")
            var previous: String?
            for row in 0..<rows {
                let place = "\(label) \(pane) row \(row + 1) details"
                let looked = try await visit(terminal, place, marker: marker, optional: true) { try terminal.press("Enter") }
                // Past the last row the selection stays put: the same details again.
                guard let text = looked.first?.1, text != previous else { break }
                previous = text
                seen += looked
                try terminal.type("j")
            }
            // Back to the top (the newest rows of the lists), so what comes next is on screen.
            try terminal.type("g")
            try terminal.press("Tab")
        }
        try terminal.type("c")
        try terminal.type("f")
        try await terminal.waitFor("FROZEN gone from the header", within: 5) { !$0.header.contains("FROZEN") }

        if dialogs {
            for (key, title) in [("r", "Resume trading?"), ("x", "Switch to reduce-only?"), ("F", "Flatten ALL positions?"), ("q", "Quit the console?"),
                ("2", "Switch chaos 2 ON?")]
            {
                seen += try await visit(terminal, "\(label) dialog \(title)", marker: title) { try terminal.type(key) }
            }
        }
        return seen
    }

    /// Opens a view with `open`, waits for `marker` on the screen, looks at it, closes it with Escape and
    /// waits for the marker to go. An `optional` view that does not open within 2 s (a pane with no rows)
    /// gives nothing.
    static func visit(
        _ terminal: TmuxSession, _ place: String, marker: String, optional: Bool = false, open: () throws -> Void
    ) async throws -> [(String, String)] {
        try open()
        do {
            try await terminal.waitFor("\"\(marker)\" (\(place))", within: optional ? 2 : 5) { $0.contains(marker) }
        } catch {
            if optional { return [] }
            throw error
        }
        let seen = try look(terminal, place)
        try terminal.press("Escape")
        try await terminal.waitFor("\"\(marker)\" closed (\(place))", within: 5) { !$0.contains(marker) }
        return seen
    }
}
