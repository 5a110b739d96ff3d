import Console
import Foundation
import Primitives
import Testing
import TradingModel

/// The safety state (HALTED, REDUCING) is always live and one key away: header and banner, `h` from
/// everywhere, `w` for the whole reason.
struct ConsoleSafetyTests {
    let model = Fixture.sample()
    static let killSwitch = TradingState(
        mode: .halted, reason: "kill switch file state/HALT", actor: .operator, since: Fixture.start.advanced(by: .seconds(3_480)))

    /// Frozen, a halt still reaches the header and the banner (with the FROZEN badge); the panes stay frozen.
    @Test func freezeKeepsHeaderAndBannerLive() {
        var active = Fixture.feed(Fixture.sample(), .tradingState(TradingState(mode: .active, reason: nil, actor: .operator, since: Fixture.start)))
        active = ConsoleUpdate.update(active, tick: Fixture.start.advanced(by: .seconds(3_600)))
        var frozen = Fixture.press(active, .character("f")).0
        frozen = ConsoleUpdate.update(frozen, event: Event(sequence: 99, timestamp: Fixture.start.advanced(by: .seconds(3_480)), kind: .tradingState(Self.killSwitch)))
        frozen = ConsoleUpdate.update(frozen, event: Event(sequence: 100, timestamp: Fixture.start.advanced(by: .seconds(3_481)), kind: .chaosMode(.alpacaDown, enabled: true)))
        frozen = ConsoleUpdate.update(frozen, tick: Fixture.start.advanced(by: .seconds(3_600)))
        let lines = ConsoleView.view(frozen, size: (80, 24), glyphs: .unicode).lines
        #expect(lines[0].contains("HALTED") && lines[0].contains("FROZEN"), "\(lines[0])")
        #expect(lines[1].contains("HALTED by operator 2m 00s ago"), "\(lines[1])")
        #expect(lines[1].contains("remove state/HALT, then press r"), "\(lines[1])")
        #expect(!lines[1].contains("press r to resume"))
        #expect(lines.contains { $0.contains("Chaos: 1 ON latency") }, "the panes should still be frozen")
    }

    /// REDUCING has a banner too: what, who, how long ago, why and the way out.
    @Test func reducingBanner() {
        let reducing = TradingState(mode: .reducing, reason: "flatten all", actor: .operator, since: Fixture.start.advanced(by: .seconds(3_595)))
        let next = ConsoleUpdate.update(Fixture.feed(model, .tradingState(reducing)), tick: Fixture.start.advanced(by: .seconds(3_600)))
        let lines = ConsoleView.view(next, size: (80, 24), glyphs: .unicode).lines
        #expect(lines[1].contains(" REDUCING by operator 5s ago: flatten all"), "\(lines[1])")
        #expect(lines[1].hasSuffix("press r to resume "), "\(lines[1])")
        let wide = ConsoleView.view(next, size: (200, 60), glyphs: .unicode).lines
        #expect(wide[0].contains("REDUCING (flatten all)"), "\(wide[0])")
    }

    /// A long reason is cut at a word in the header and the banner (the same words), and `w` shows all of it.
    @Test func longReasonCutAtAWord() throws {
        let reason = "FAILED_RECONCILIATION: the broker reports 3 positions the state file does not hold (AAPL MSFT NVDA)"
        let halted = TradingState(mode: .halted, reason: reason, actor: .system, since: Fixture.start.advanced(by: .seconds(3_000)))
        let next = Fixture.feed(model, .tradingState(halted))
        let lines = ConsoleView.view(next, size: (80, 24), glyphs: .unicode).lines
        let wide = ConsoleView.view(next, size: (120, 30), glyphs: .unicode).lines
        let words = Set(reason.split(separator: " ").flatMap { [String($0), $0.trimmingCharacters(in: [":"])] })
        for line in [lines[1], wide[0], wide[1]] {
            let cut = try #require(line.split(separator: "…").first)
            let start = try #require(cut.range(of: "FAILED_RECONCILIATION"), "\(line)")
            let shown = cut[start.lowerBound...].split(separator: " ").map(String.init)
            for word in shown { #expect(words.contains(word), "\(word) is cut mid-word in \(line)") }
        }
        #expect(lines[1].contains("(w: why)"))
        let (why, _) = Fixture.press(next, .character("w"))
        let overlay = ConsoleView.view(why, size: (80, 24), glyphs: .unicode).lines.joined(separator: " ")
        #expect(overlay.contains("Why trading is HALTED"))
        #expect(overlay.contains("(AAPL MSFT NVDA)"), "the whole reason, wrapped")
    }

    /// `h` halts from the help, from details and from every yes/no dialog; in the flatten dialog's text
    /// field it is text, and the dialog says how to halt.
    @Test func haltFromEveryOverlay() {
        for opening in [Key.character("?"), .enter, .character("q"), .character("x"), .character("r"), .character("2")] {
            let (opened, _) = Fixture.press(model, opening)
            #expect(opened.overlay != nil, "\(opening) opens nothing")
            let (after, effects) = Fixture.press(opened, .character("h"))
            #expect(effects == [.send(.halt)], "h from \(opening)")
            #expect(after.overlay == nil)
        }
        let (flatten, _) = Fixture.press(model, .character("F"))
        let (typing, effects) = Fixture.press(flatten, .character("h"))
        #expect(effects.isEmpty)
        #expect(typing.dialog?.typed == "h")
        let text = ConsoleView.view(typing, size: (80, 24), glyphs: .unicode).lines.joined()
        #expect(text.contains("Esc, then h to halt"))
        #expect(Fixture.press(typing, .escape, .character("h")).1 == [.send(.halt)])
    }

    /// Ctrl-C asks, like `q` (also from the help); an unknown key hints `? for help` until the next tick
    /// after a few seconds.
    @Test func controlCAndUnknownKeys() {
        let (asked, effects) = Fixture.press(model, .interrupt)
        #expect(asked.dialog?.effect == .stop && effects.isEmpty)
        #expect(Fixture.press(asked, .interrupt).0.dialog == asked.dialog)
        #expect(Fixture.press(model, .character("?"), .interrupt).0.dialog?.effect == .stop)
        let (hinted, none) = Fixture.press(model, .character("z"))
        #expect(none.isEmpty)
        #expect(hinted.notice?.text.contains("? for help") == true)
        let clock = model.live.clock!
        #expect(ConsoleUpdate.update(hinted, tick: clock.advanced(by: .seconds(1))).notice != nil)
        #expect(ConsoleUpdate.update(hinted, tick: clock.advanced(by: .seconds(3))).notice == nil)
    }

    /// The Chaos pane is one summary line until `c` unfolds it (and folds it again).
    @Test func chaosFolds() {
        let folded = ConsoleView.view(model, size: (80, 24), glyphs: .unicode).lines
        #expect(folded.contains { $0.contains("Chaos: 1 ON latency") && $0.contains("c shows all") })
        let two = Fixture.feed(model, .chaosMode(.invalidCreds, enabled: true))
        #expect(ConsoleView.view(two, size: (200, 60), glyphs: .unicode).lines.contains { $0.contains("Chaos: 2 ON invalid_creds, latency") })
        #expect(!folded.contains { $0.contains("alpaca_down") })
        let (open, _) = Fixture.press(model, .character("c"))
        #expect(open.focus == .chaos)
        let lines = ConsoleView.view(open, size: (80, 24), glyphs: .unicode).lines
        #expect(lines.contains { $0.contains("1 alpaca_down") && $0.contains("OFF") })
        #expect(Fixture.press(open, .character("c")).0.chaosExpanded == false)
    }

    /// `t` names the theme it switched to.
    @Test func themeIsNamed() {
        let next = ConsoleUpdate.update(model, theme: "mono")
        #expect(next.themeName == "mono")
        #expect(next.notice?.text.contains("Theme: mono") == true)
        #expect(ConsoleView.view(next, size: (80, 24), glyphs: .unicode).lines[23].contains("Theme: mono"))
    }
}

/// Text for the header and banner: ages, reasons cut at a word, ASCII fallbacks.
struct ConsoleTextTests {
    /// A reason is cut at a space, never inside a word, and ends with the ellipsis.
    @Test func shortenedAtAWord() {
        #expect(TextFormat.shortened("critical service uw-daemon FAILED", width: 40, ellipsis: "…") == "critical service uw-daemon FAILED")
        #expect(TextFormat.shortened("critical service uw-daemon FAILED", width: 20, ellipsis: "…") == "critical service…")
        #expect(TextFormat.shortened("FAILED_RECONCILIATION: broker differs", width: 12, ellipsis: "…") == "…")
        #expect(TextFormat.shortened("a: b c", width: 4, ellipsis: "~") == "a~")
    }

    /// Ages: seconds, minutes and seconds, hours and minutes, days and hours.
    @Test func ages() {
        let start = Fixture.start
        #expect(TextFormat.age(of: start, at: start.advanced(by: .seconds(9))) == "9s")
        #expect(TextFormat.age(of: start, at: start.advanced(by: .seconds(125))) == "2m 05s")
        #expect(TextFormat.age(of: start, at: start.advanced(by: .seconds(720))) == "12m")
        #expect(TextFormat.age(of: start, at: start.advanced(by: .seconds(3_720))) == "1h 02m")
        #expect(TextFormat.age(of: start, at: start.advanced(by: .seconds(90_000))) == "1d 01h")
        #expect(TextFormat.age(of: start.advanced(by: .seconds(5)), at: start) == "0s")
    }

    /// With ASCII glyphs, text from the core is drawn in ASCII: "limit ≥ 300s" reads "limit >= 300s".
    @Test func asciiFallbacks() {
        #expect(Glyphs.asciiText("limit ≥ 300s … é → ✓") == "limit >= 300s ... e -> ok")
        let rejection = GuardRejection(symbol: "AAPL", side: .buy, quantity: 1, check: "cooldown", message: "last trade 42s ago", limit: "≥ 300s", actual: "42s")
        let next = Fixture.feed(Fixture.sample(), .guardRejected(rejection))
        let frame = ConsoleView.view(next, size: (200, 60), glyphs: .ascii)
        let text = frame.lines.joined(separator: "\n")
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(text.contains(">= 300s"), "\(text)")
    }

    /// The sparkline does not magnify noise: $0.14 on $100k draws flat, and the scale says min, max, change.
    @Test func sparklineScale() {
        var model = ConsoleModel(broker: .sim)
        for (index, cents) in [0, 14, 3, 10, 14, 7].enumerated() {
            let equity = Decimal(100_000) + Decimal(cents) / 100
            model = ConsoleUpdate.update(model, event: Event(sequence: UInt64(index + 1), timestamp: Fixture.start.advanced(by: .seconds(Int64(index))), kind: .account(AccountSnapshot(equity: equity, cash: 0, buyingPower: 0))))
        }
        let lines = ConsoleView.view(model, size: (80, 24), glyphs: .unicode).lines
        let row = lines.first { $0.contains("Equity 100000.07") } ?? ""
        let levels = Set(row.filter { "▁▂▃▄▅▆▇█".contains($0) })
        #expect(levels.count == 1, "noise drawn as a move: \(row)")
        #expect(lines.contains { $0.contains("min 100000.00") && $0.contains("max 100000.14") && $0.contains("+0.07") })
    }
}
