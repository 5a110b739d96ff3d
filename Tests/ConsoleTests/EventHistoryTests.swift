import Console
import Foundation
import Logging
import Primitives
import Testing
import TradingModel

/// The event history: 10,000 lines in a ring, repeats merged, one line per operator action, a scrolled
/// view that stays put ("N new"), the `/` and `L` filters, the log view and the pinned incidents.
struct EventHistoryTests {
    static func apiFailure(_ attempt: Int = 1) -> EventKind {
        .apiError(APIFailure(api: "alpaca", endpoint: "/v2/account", errorClass: .network, message: "API call failed", attempt: attempt, willRetry: true))
    }

    static func note(_ index: Int, level: Logger.Level = .warning) -> EventKind {
        .log(LogLine(level: level, label: "test", message: "line \(index)"))
    }

    /// Folds `count` distinct log lines, one a second from `from`.
    static func flood(_ model: ConsoleModel, count: Int, from: Int = 0, level: Logger.Level = .warning) -> ConsoleModel {
        var model = model
        for index in from..<(from + count) {
            model = ConsoleUpdate.update(model, event: Fixture.event(note(index, level: level), at: Int64(index)))
        }
        return model
    }

    /// 105 identical lines in a row are one line with the count and the last time; a different line ends the run.
    @Test func repeatsAreMerged() throws {
        var model = ConsoleModel(broker: .sim)
        for second in 0..<105 { model = ConsoleUpdate.update(model, event: Fixture.event(Self.apiFailure(), at: Int64(second))) }
        #expect(model.live.events.count == 1)
        let line = try #require(model.live.events.first)
        #expect(line.count == 105)
        #expect(line.timeText == "15:00:00")
        #expect(line.lastTimeText == "15:01:44")
        model = ConsoleUpdate.update(model, event: Fixture.event(Self.apiFailure(2), at: 200))
        model = ConsoleUpdate.update(model, event: Fixture.event(Self.apiFailure(), at: 201))
        #expect(model.live.events.map(\.count) == [1, 1, 105])
        // At 200×60 the Events pane has room for all three lines (at 80×24 the vital signs strip leaves it two).
        let frame = ConsoleView.view(model, size: (200, 60), glyphs: .unicode)
        #expect(frame.lines.contains { $0.contains("×105 (last 15:01:44)") })
    }

    /// The history keeps the newest 10,000 lines: the oldest go, in order.
    @Test func boundedAtTenThousand() {
        #expect(ConsoleModel.eventLimit >= 10_000)
        let model = Self.flood(ConsoleModel(broker: .sim), count: ConsoleModel.eventLimit + 50)
        let events = model.live.events
        #expect(events.count == ConsoleModel.eventLimit)
        #expect(events.first?.text == "test: line \(ConsoleModel.eventLimit + 49)")
        #expect(events.last?.text == "test: line 50")
        #expect(model.live.loggedCount == UInt64(ConsoleModel.eventLimit + 50))
    }

    /// A copy is equal without its lines being compared, a change makes it differ, and two histories
    /// built the same way are equal.
    @Test func equalityIsByContent() {
        let model = Self.flood(ConsoleModel(broker: .sim), count: 30)
        let copy = model
        #expect(copy.live.events == model.live.events)
        let changed = ConsoleUpdate.update(model, event: Fixture.event(Self.note(99), at: 99))
        #expect(changed.live.events != model.live.events)
        #expect(Self.flood(ConsoleModel(broker: .sim), count: 30).live.events == model.live.events)
    }

    /// With the Events pane scrolled, new lines keep the selected line selected and are counted as
    /// "N new" in the title; going back to the top clears the count.
    @Test func scrolledViewStaysPut() throws {
        var model = Self.flood(ConsoleModel(broker: .sim), count: 40)
        model.focus = .events
        model = Fixture.press(model, .down, .down, .down).0
        let selected = model.shown.events.shown(model.selectedRow(in: .events))
        model = Self.flood(model, count: 5, from: 100)
        #expect(model.shown.events.shown(model.selectedRow(in: .events)) == selected)
        #expect(model.eventsView.newCount == 5)
        let frame = ConsoleView.view(model, size: (80, 24), glyphs: .unicode)
        #expect(frame.lines.contains { $0.contains("[5 new, g: top]") })
        model = Fixture.press(model, .character("g")).0
        #expect(model.eventsView.newCount == 0)
        #expect(model.selectedRow(in: .events) == 0)
    }

    /// `/` opens the field, `h` in it is text (nothing is sent), Enter applies the filter and the title
    /// shows it; Esc clears it.
    @Test func textFilter() {
        var model = Self.flood(ConsoleModel(broker: .sim), count: 20)
        model = ConsoleUpdate.update(model, event: Fixture.event(.chaosMode(.latency, enabled: true), at: 30))
        let (typing, effects) = Fixture.press(model, [.character("/")] + Fixture.typing("chaos h"))
        #expect(effects.isEmpty)
        #expect(typing.eventsView.typing == "chaos h")
        let hint = ConsoleView.view(typing, size: (80, 24), glyphs: .unicode).lines.last ?? ""
        #expect(hint.contains("Esc, then h to halt"))
        let (filtered, _) = Fixture.press(typing, .backspace, .backspace, .enter)
        #expect(filtered.eventsView.typing == nil)
        #expect(filtered.live.events.shownCount == 1)
        #expect(filtered.live.events.shown(0).text == "Chaos latency ON")
        #expect(filtered.rowCount(of: .events) == 1)
        let frame = ConsoleView.view(filtered, size: (80, 24), glyphs: .unicode)
        #expect(frame.lines.contains { $0.contains("Events /chaos/") })
        // Lines arriving later are filtered too.
        let later = Self.flood(filtered, count: 3, from: 50)
        #expect(later.live.events.shownCount == 1)
        let cleared = Fixture.press(later, .character("/"), .escape).0
        #expect(cleared.live.events.shownCount == cleared.live.events.count)
    }

    /// `L` cycles all → warnings and errors → errors only → all.
    @Test func levelFilter() {
        var model = Self.flood(ConsoleModel(broker: .sim), count: 4, level: .info)
        model = Self.flood(model, count: 3, from: 10, level: .warning)
        model = Self.flood(model, count: 2, from: 20, level: .error)
        var counts: [Int] = []
        for _ in 0..<4 {
            model = Fixture.press(model, .character("L")).0
            counts.append(model.live.events.shownCount)
        }
        #expect(counts == [5, 2, 9, 5])
    }

    /// An accepted halt is one line (the trading state), not also the command's answer; a refused one stays.
    @Test func oneLinePerAction() {
        let halted = TradingState(mode: .halted, reason: "halted by the operator (console)", actor: .operator, since: Fixture.start)
        let model = Fixture.feed(
            ConsoleModel(broker: .sim),
            .commandResult(CommandResult(command: .halt, accepted: true, message: "trading HALTED: halted by the operator (console)")),
            .tradingState(halted),
            .commandResult(CommandResult(command: .chaos(.latency, on: true), accepted: true, message: "chaos latency on")),
            .chaosMode(.latency, enabled: true),
            .commandResult(CommandResult(command: .resume, accepted: false, message: "still HALTED: state/HALT exists", code: "trading.system_hold")))
        #expect(model.live.events.reversed().map(\.text) == [
            "Trading HALTED by operator: halted by the operator (console)",
            "Chaos latency ON",
            "resume: REFUSED - still HALTED: state/HALT exists [trading.system_hold]",
        ])
    }

    /// Chaos, halts, FAILED and DEGRADED changes and restarts are pinned; they stay after 10,000 other
    /// lines, and only `P`, `C`, `y` clears them.
    @Test func incidentsArePinnedUntilCleared() {
        var model = Fixture.feed(
            ConsoleModel(broker: .sim),
            .chaosMode(.alpacaDown, enabled: true),
            .tradingState(TradingState(mode: .halted, reason: "operator", actor: .operator, since: Fixture.start)),
            .serviceStatus(Fixture.service(.tradingBot, .ok)),
            .serviceStatus(Fixture.service(.tradingBot, .failed, error: "boom")),
            .serviceStatus(Fixture.service(.tradingBot, .ok, restarts: 1)),
            .overallHealth(OverallHealth(status: .degraded, reason: nil)))
        #expect(model.live.pinned.map(\.text) == [
            "Chaos alpaca_down ON", "Trading HALTED by operator: operator", "trading-bot FAILED FAILED_RESTARTS: boom",
            "trading-bot OK (restart 1)", "Health DEGRADED",
        ])
        model = Self.flood(model, count: ConsoleModel.eventLimit, from: 100)
        #expect(!model.live.events.contains { $0.text.contains("alpaca_down") })
        #expect(model.live.pinned.count == 5)
        let title = ConsoleView.view(model, size: (80, 24), glyphs: .unicode).lines.joined()
        #expect(title.contains("[5 pinned, P]"))
        var (open, _) = Fixture.press(model, .character("P"), .character("C"), .character("n"))
        #expect(open.live.pinned.count == 5)
        #expect(open.eventsView.pinnedOpen)
        open = Fixture.press(open, .character("C"), .character("y")).0
        #expect(open.live.pinned.isEmpty)
    }

    /// `l` shows the newest lines; `g` goes to the oldest, which stays on top while lines arrive (counted
    /// as new); `G` follows again; `h` halts from it; `q` closes it.
    @Test func logViewScrolls() throws {
        var model = Self.flood(ConsoleModel(broker: .sim), count: 500)
        model = ConsoleUpdate.update(model, screenRows: 24)
        model = Fixture.press(model, .character("l")).0
        var lines = ConsoleView.view(model, size: (80, 24), glyphs: .unicode).lines
        #expect(lines[lines.count - 3].contains("line 499"))
        model = Fixture.press(model, .character("g")).0
        lines = ConsoleView.view(model, size: (80, 24), glyphs: .unicode).lines
        #expect(lines[2].contains("test: line 0"))
        #expect(lines[1].contains("Log 1-20 of 500"))
        model = Self.flood(model, count: 7, from: 1000)
        lines = ConsoleView.view(model, size: (80, 24), glyphs: .unicode).lines
        #expect(lines[2].contains("test: line 0"))
        #expect(lines[1].contains("[7 new, G: end]"))
        model = Fixture.press(model, .down, .down).0
        lines = ConsoleView.view(model, size: (80, 24), glyphs: .unicode).lines
        #expect(lines[2].contains("test: line 2"))
        let (halting, effects) = Fixture.press(model, .character("h"))
        #expect(effects == [.send(.halt)])
        #expect(halting.eventsView.logOpen)
        model = Fixture.press(model, .character("G")).0
        #expect(model.eventsView.logTop == nil)
        #expect(model.eventsView.logNewCount == 0)
        model = Fixture.press(model, .character("q")).0
        #expect(!model.eventsView.logOpen)
        #expect(model.overlay == nil)
    }

    /// A later snapshot of the same instance (a console that fell behind) keeps the history and adds only
    /// the events it had not seen; pinned incidents stay.
    @Test func historySurvivesAFreshSnapshot() {
        var model = ConsoleUpdate.update(ConsoleModel(broker: .sim), input: .snapshot(ConsoleInputTests.snapshot(sequence: 500)))
        model = Self.flood(model, count: 300, from: 8_000)
        let held = model.live.events.count
        let pinned = model.live.pinned
        let time = Fixture.start.advanced(by: .seconds(9_000))
        var next = ConsoleInputTests.snapshot(sequence: 900, at: 9_000)
        next.recentEvents.append(Event(sequence: 900, timestamp: time, kind: .chaosMode(.latency, enabled: true)))
        model = ConsoleUpdate.update(model, input: .snapshot(next))
        #expect(model.live.events.count == held + 1)
        #expect(model.live.events.first?.text == "Chaos latency ON")
        #expect(model.live.pinned.count == pinned.count + 1)
    }

    /// Every close names its rule in the events line.
    @Test func closesNameTheirRule() {
        for rule in [CloseRule.takeProfit, .stopLoss, .maxHold, .putSignal, .flatten, .operator] {
            let close = PositionClose(symbol: Fixture.symbol("AAPL"), closedQuantity: 1, exitPrice: 100, realizedPnL: 1, rule: rule)
            let model = Fixture.feed(ConsoleModel(broker: .sim), .positionClosed(close))
            #expect(model.live.events.first?.text.contains("(\(rule.words))") == true)
        }
    }
}
