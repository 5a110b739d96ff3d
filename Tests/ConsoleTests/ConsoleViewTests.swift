import Console
import Foundation
import Testing
import Primitives
import TradingModel

struct ConsoleViewTests {
    let model = Fixture.sample()

    /// The sample model at 80×24 with box drawing matches its golden frame (text, roles, attributes).
    @Test func golden80x24() throws {
        try GoldenFrame.check(ConsoleView.view(model, size: (80, 24), glyphs: .unicode), "sample-80x24")
    }

    /// The same at 80×24 in ASCII glyphs.
    @Test func golden80x24ASCII() throws {
        try GoldenFrame.check(ConsoleView.view(model, size: (80, 24), glyphs: .ascii), "sample-80x24-ascii")
    }

    /// A 200×60 terminal gets more columns and rows, not just margin.
    @Test func golden200x60() throws {
        try GoldenFrame.check(ConsoleView.view(model, size: (200, 60), glyphs: .unicode), "sample-200x60")
    }

    /// Below 80×24 a screen says the size needed (and the state, in words).
    @Test func golden60x20() throws {
        let frame = ConsoleView.view(model, size: (60, 20), glyphs: .unicode)
        #expect(frame.lines.contains { $0.contains("Bulwark needs at least 80×24; this terminal is 60×20") })
        try GoldenFrame.check(frame, "too-small-60x20")
    }

    /// On the too-small screen `q` still opens the quit dialog, and it is drawn.
    @Test func quitOnTooSmallScreen() {
        let (asked, _) = Fixture.press(model, .character("q"))
        let text = ConsoleView.view(asked, size: (60, 20), glyphs: .ascii).lines.joined(separator: "\n")
        #expect(text.contains("Quit the console?"))
        #expect(text.contains("[> Cancel <]"))
    }

    /// Help in read-only mode greys the refused commands out.
    @Test func goldenHelpReadOnly() throws {
        let (help, _) = Fixture.press(Fixture.sample(readOnly: true), .character("?"))
        let frame = ConsoleView.view(help, size: (80, 24), glyphs: .unicode)
        try GoldenFrame.check(frame, "help-readonly-80x24")
        let row = try #require(frame.lines.firstIndex { $0.contains("HALT trading now") })
        let column = try #require(frame.lines[row].distance(of: "HALT"))
        #expect(frame[row, column].style.role == ThemeRole.hintDisabled)
        #expect(frame.lines.joined().contains("READ-ONLY"))
    }

    /// The resume dialog is drawn centered with Cancel focused (reversed, marked).
    @Test func goldenResumeDialog() throws {
        let (asked, _) = Fixture.press(model, .character("r"))
        let frame = ConsoleView.view(asked, size: (80, 24), glyphs: .unicode)
        try GoldenFrame.check(frame, "resume-dialog-80x24")
        let row = try #require(frame.lines.firstIndex { $0.contains("[> Cancel <]") })
        let column = try #require(frame.lines[row].distance(of: "[> Cancel"))
        #expect(frame[row, column].style.role == ThemeRole.buttonFocus)
        #expect(frame[row, column].style.attributes.contains(.reverse))
    }

    /// Without colour, every state is still written and carried by attributes.
    @Test func monoShowsStateByWordsAndAttributes() throws {
        let frame = ConsoleView.view(model, size: (80, 24), glyphs: .unicode)
        let lines = frame.lines
        #expect(lines[0].contains("HALTED"))
        #expect(lines[0].contains("Health FAILED FAILED_RESTARTS"))
        #expect(lines[1].contains("HALTED by system"))
        let text = lines.joined(separator: "\n")
        for word in ["OK", "DEGRADED", "FAILED", "ON"] { #expect(text.contains(word)) }
        // Status words carry attributes, not only a role.
        for word in ["FAILED", "DEGRADED", "HALTED"] {
            let row = try #require(lines.dropFirst(2).firstIndex { $0.contains(word + " ") })
            let column = try #require(lines[row].distance(of: word + " "))
            #expect(!frame[row, column].style.attributes.isEmpty, "\(word) at \(row),\(column) has no attribute")
        }
        let chaosRow = try #require(lines.firstIndex { $0.contains("Chaos: 1 ON latency") })
        let on = try #require(lines[chaosRow].distance(of: "ON "))
        #expect(frame[chaosRow, on].style.attributes.contains(.reverse))
    }

    /// Every cell with a state role also has an attribute, so no state is shown by colour alone.
    @Test func stateRolesAlwaysHaveAttributes() {
        let stateRoles: Set<String> = [
            ThemeRole.healthFailed, ThemeRole.healthDegraded, ThemeRole.bannerHalted, ThemeRole.tradingReducing,
            ThemeRole.chaosOn, ThemeRole.chaosLocked, ThemeRole.borderFocus, ThemeRole.selection, ThemeRole.badge,
            ThemeRole.buttonFocus,
        ]
        for size in [(80, 24), (200, 60)] {
            let frame = ConsoleView.view(Fixture.press(Fixture.sample(broker: .live), .character("f")).0, size: size, glyphs: .unicode)
            for row in 0..<frame.height {
                for column in 0..<frame.width {
                    let style = frame[row, column].style
                    if let role = style.role, stateRoles.contains(role) {
                        #expect(!style.attributes.isEmpty, "\(role) at \(row),\(column) has no attribute")
                    }
                }
            }
        }
    }

    /// Only role names from `ThemeRole.all` are used, and the colour frame uses the main ones.
    @Test func rolesAreKnown() {
        let known = Set(ThemeRole.all)
        var used: Set<String> = []
        var expanded = model
        expanded.chaosExpanded = true
        for glyphs in [Glyphs.unicode, .ascii] {
            let frame = ConsoleView.view(expanded, size: (200, 60), glyphs: glyphs)
            for row in 0..<frame.height {
                for column in 0..<frame.width { if let role = frame[row, column].style.role { used.insert(role) } }
            }
        }
        #expect(used.isSubset(of: known), "unknown roles: \(used.subtracting(known))")
        for role in ["header", "health.failed", "banner.halted", "pnl.up", "pnl.down", "guard.reject", "chaos.on", "chaos.off", "border", "border.focus", "title"] {
            #expect(used.contains(role), "\(role) not used")
        }
        #expect(Set(ThemeRole.all).count == ThemeRole.all.count)
    }

    /// ASCII glyphs produce only 7-bit characters, at every size.
    @Test func asciiIsSevenBit() {
        let (help, _) = Fixture.press(model, .character("?"))
        for candidate in [model, help] {
            for size in [(80, 24), (200, 60), (60, 20)] {
                let frame = ConsoleView.view(candidate, size: size, glyphs: .ascii)
                for line in frame.lines { #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "\(line)") }
            }
        }
    }

    /// The focused pane's border uses `border.focus`; moving the focus moves it.
    @Test func focusedBorder() {
        let frame = ConsoleView.view(model, size: (80, 24), glyphs: .unicode)
        let servicesTitle = frame.lines.firstIndex { $0.contains(" Services ") }!
        let servicesColumn = frame.lines[servicesTitle].distance(of: " Services ")! - 1
        #expect(frame[servicesTitle, servicesColumn].style.role == ThemeRole.borderFocus)
        let moved = ConsoleView.view(Fixture.press(model, .tab).0, size: (80, 24), glyphs: .unicode)
        #expect(moved[servicesTitle, servicesColumn].style.role == ThemeRole.border)
    }

    /// FROZEN and lost-events badges are drawn; a frozen view keeps drawing the frozen data.
    @Test func frozenBadgeAndFrozenData() {
        var frozen = Fixture.press(model, .character("f")).0
        frozen = ConsoleUpdate.update(frozen, droppedEvents: 3)
        frozen = Fixture.feed(frozen, .chaosMode(.alpacaDown, enabled: true))
        let lines = ConsoleView.view(frozen, size: (80, 24), glyphs: .unicode).lines
        #expect(lines[0].contains("FROZEN"))
        #expect(lines[0].contains("3 EVENTS LOST"))
        #expect(lines.contains { $0.contains("Chaos: 1 ON latency") })
        #expect(!lines.contains { $0.contains("alpaca_down") })
    }

    /// Chaos on a live account is locked: the pane is hidden, `c` says why, the help says LOCKED.
    @Test func liveChaosSaysLocked() {
        let live = Fixture.sample(broker: .live)
        let lines = ConsoleView.view(live, size: (80, 24), glyphs: .unicode).lines
        #expect(!lines.contains { $0.contains("Chaos") })
        #expect(lines[0].contains("LIVE"))
        let (pressed, _) = Fixture.press(live, .character("c"))
        #expect(pressed.chaosExpanded == false)
        #expect(pressed.notice?.text.contains("LOCKED") == true)
        let help = ConsoleView.view(Fixture.press(live, .character("?")).0, size: (80, 24), glyphs: .unicode).lines
        #expect(help.contains { $0.contains("Chaos is LOCKED") })
    }

    /// The big benchmark model draws at both sizes and a frame diff finds the changes of a new event.
    @Test func benchmarkFixtureDraws() {
        let big = ConsoleModel.benchmarkFixture(positions: 100, rejections: 200)
        #expect(big.live.positions.count == 100)
        #expect(big.live.rejections.count == 200)
        for size in [(80, 24), (200, 60)] {
            let before = ConsoleView.view(big, size: size, glyphs: .unicode)
            let next = Fixture.feed(big, .guardRejected(Fixture.rejection("ZZZ")))
            let after = ConsoleView.view(next, size: size, glyphs: .unicode)
            #expect(!after.changes(since: before).isEmpty)
            #expect(after.changes(since: after).isEmpty)
        }
    }

    /// The golden comparison reports a changed cell with its line, so a broken view fails the tests.
    @Test func goldenDiffReportsChanges() throws {
        let frame = ConsoleView.view(model, size: (80, 24), glyphs: .unicode)
        var changed = frame
        changed[5, 10] = Cell("#", style: CellStyle(role: ThemeRole.eventError))
        let diff = try #require(GoldenFrame.diff(expected: GoldenFrame.render(frame), actual: GoldenFrame.render(changed)))
        #expect(diff.contains("line 7 [## text 80x24]"))
        #expect(diff.contains("## roles"))
        #expect(GoldenFrame.diff(expected: GoldenFrame.render(frame), actual: GoldenFrame.render(frame)) == nil)
    }
}

extension String {
    /// The column (character offset) where `needle` first starts.
    func distance(of needle: String) -> Int? {
        guard let range = range(of: needle) else { return nil }
        return distance(from: startIndex, to: range.lowerBound)
    }
}
