import Console
import Foundation
import Primitives
import Testing
import TradingModel

/// The console's one input stream: snapshots, events and the connection's state; `h` and the other
/// command keys while not connected; the DISCONNECTED, READ-ONLY and quit-dialog frames.
struct ConsoleInputTests {
    let model = Fixture.sample()

    static func snapshot(sequence: UInt64 = 500, at seconds: Int64 = 7_200) -> ControlSnapshot {
        let time = Fixture.start.advanced(by: .seconds(seconds))
        let events = [
            Event(sequence: 498, timestamp: time, kind: .guardRejected(Fixture.rejection("MSFT", check: "cooldown"))),
            Event(sequence: 499, timestamp: time, kind: .chaosMode(.rateLimit, enabled: true)),
        ]
        return ControlSnapshot(
            sequence: sequence, takenAt: time, broker: "PAPER", chaosLocked: false,
            trading: TradingState(mode: .reducing, reason: "operator", actor: .operator, since: time),
            overall: OverallHealth(status: .degraded, reason: nil),
            services: [Fixture.service(.tradingBot, .ok), Fixture.service(.uwDaemon, .degraded, error: "slow")],
            positions: [Fixture.position("TSLA", "2", at: "250"), Fixture.position("AAPL", "3", at: "190")],
            rejections: [Fixture.rejection("MSFT", check: "cooldown"), Fixture.rejection("NVDA")],
            recentEvents: events, chaosOn: [.rateLimit],
            account: AccountSnapshot(equity: 100_000, cash: 50_000, buyingPower: 90_000),
            quotes: [Fixture.quote("AAPL", bid: "200", ask: "202")])
    }

    /// A snapshot replaces every live pane (nothing of the old data is left), sorts positions, prices
    /// them from its quotes, takes the broker and rebuilds the Events pane from its recent events.
    @Test func snapshotReplacesLiveData() throws {
        let next = ConsoleUpdate.update(model, input: .snapshot(Self.snapshot()))
        let live = next.live
        #expect(next.broker == .paper)
        #expect(live.trading?.mode == .reducing)
        #expect(live.overall?.status == .degraded)
        #expect(live.services.map(\.name) == ["trading-bot", "uw-daemon"])
        #expect(live.positions.map(\.symbol) == ["AAPL", "TSLA"])
        #expect(live.positions.first?.last == Fixture.decimal("201"))
        #expect(live.positions.last?.last == nil)
        #expect(live.rejections.map(\.symbol) == ["MSFT", "NVDA"])
        #expect(live.rejections.first?.time == Fixture.start.advanced(by: .seconds(7_200)))
        #expect(live.chaosOn == [.rateLimit])
        #expect(live.account?.equity == 100_000)
        #expect(live.events.count == 2, "\(live.events.map(\.text))")
        #expect(!live.events.contains { $0.text.contains("uw-daemon") })
        #expect(next.lastSequence == 500)
    }

    /// Events the snapshot already holds are skipped; later ones are folded; a link's own report
    /// (sequence 0) is always shown.
    @Test func eventsAfterTheSnapshotOnly() {
        var next = ConsoleUpdate.update(model, input: .snapshot(Self.snapshot()))
        let time = Fixture.start.advanced(by: .seconds(7_201))
        let halted = TradingState(mode: .halted, reason: "stale", actor: .operator, since: time)
        next = ConsoleUpdate.update(next, input: .event(Event(sequence: 500, timestamp: time, kind: .tradingState(halted))))
        #expect(next.live.trading?.mode == .reducing)
        next = ConsoleUpdate.update(next, input: .event(Event(sequence: 501, timestamp: time, kind: .tradingState(halted))))
        #expect(next.live.trading?.mode == .halted)
        #expect(next.lastSequence == 501)
        let refused = CommandResult(command: .resume, accepted: false, message: "not sent: not connected to Bulwark")
        next = ConsoleUpdate.update(next, input: .event(Event(sequence: 0, timestamp: time, kind: .commandResult(refused))))
        #expect(next.live.events.first?.text.contains("not connected") == true)
        #expect(next.lastSequence == 501)
    }

    /// Losing the connection records when the data dates from and logs it; connecting again clears it.
    @Test func connectionLostAndBack() {
        let lost = ConsoleUpdate.update(model, input: .connection(.disconnected("Bulwark stopped")))
        #expect(!lost.isConnected)
        #expect(lost.dataAsOf == model.live.clock)
        #expect(lost.live.events.first?.text.contains("Bulwark stopped") == true)
        let later = ConsoleUpdate.update(lost, tick: Fixture.start.advanced(by: .seconds(9_000)))
        let again = ConsoleUpdate.update(later, input: .connection(.disconnected("no Bulwark is running")))
        #expect(again.dataAsOf == model.live.clock)
        let back = ConsoleUpdate.update(again, input: .connection(.connected))
        #expect(back.isConnected)
        #expect(back.dataAsOf == nil)
    }

    /// Not connected, `h` asks the wiring to create state/HALT; the outcome is said in words.
    @Test func haltWhileDisconnectedCreatesTheFile() throws {
        let lost = ConsoleUpdate.update(model, input: .connection(.disconnected("socket closed")))
        let (pressed, effects) = Fixture.press(lost, .character("h"))
        #expect(effects == [.createHaltFile])
        let done = ConsoleUpdate.update(pressed, haltFile: .created(path: "/srv/state/HALT"))
        let notice = try #require(done.notice)
        #expect(notice.text == "Halted by the kill switch file state/HALT; remove it to allow a resume.")
        let failed = ConsoleUpdate.update(pressed, haltFile: .failed("the state folder does not exist"))
        #expect(failed.notice?.text.contains("the state folder does not exist") == true)
        #expect(failed.notice?.severity == .error)
        // Connected, `h` is sent as before.
        #expect(Fixture.press(model, .character("h")).1 == [.send(.halt)])
    }

    /// Not connected, resume, reduce-only, flatten and chaos send nothing and say why; read-only, not
    /// even the halt file is created.
    @Test func otherCommandsWhileDisconnected() throws {
        let lost = ConsoleUpdate.update(model, input: .connection(.disconnected("socket closed")))
        for key in [Key.character("r"), .character("x"), .character("F"), .character("3")] {
            let (next, effects) = Fixture.press(lost, key)
            #expect(effects.isEmpty, "\(key)")
            #expect(next.overlay == nil, "\(key)")
            #expect(next.notice?.text.contains("Not connected") == true, "\(key)")
        }
        var readOnly = lost
        readOnly.readOnly = true
        let (refused, none) = Fixture.press(readOnly, .character("h"))
        #expect(none.isEmpty)
        #expect(refused.notice?.text.contains("Read-only") == true)
    }

    /// A dialog that would send a command closes when the connection drops.
    @Test func commandDialogClosesOnDisconnect() {
        let (asked, _) = Fixture.press(model, .character("r"))
        #expect(ConsoleUpdate.update(asked, input: .connection(.disconnected("gone"))).overlay == nil)
        let (quitting, _) = Fixture.press(model, .character("q"))
        #expect(ConsoleUpdate.update(quitting, input: .connection(.disconnected("gone"))).overlay != nil)
    }

    /// DISCONNECTED at 80×24: the header says so with the time the data dates from instead of the trading
    /// word and health, a banner says why and that h halts through state/HALT, and the refused keys are greyed.
    @Test func goldenDisconnected() throws {
        let lost = ConsoleUpdate.update(model, input: .connection(.disconnected("Bulwark stopped (connection closed)")))
        let frame = ConsoleView.view(lost, size: (80, 24), glyphs: .unicode)
        try GoldenFrame.check(frame, "disconnected-80x24")
        #expect(frame.lines[0].contains("DISCONNECTED — reconnecting… data as of 16:00:00"))
        #expect(!frame.lines[0].contains("HALTED") && !frame.lines[0].contains("Health"))
        #expect(frame.lines[1].contains("NOT CONNECTED") && frame.lines[1].contains("h halts via state/HALT"))
        let hints = frame.lines[23]
        let resume = try #require(hints.distance(of: "r resume"))
        #expect(frame[23, resume].style.role == ThemeRole.hintDisabled)
        let halt = try #require(hints.distance(of: "h halt"))
        #expect(frame[23, halt].style.role != ThemeRole.hintDisabled)
    }

    /// READ-ONLY at 80×24: the badge in the header, the changing keys greyed in the hints.
    @Test func goldenReadOnly() throws {
        let frame = ConsoleView.view(Fixture.sample(readOnly: true), size: (80, 24), glyphs: .unicode)
        try GoldenFrame.check(frame, "readonly-80x24")
        #expect(frame.lines[0].contains("READ-ONLY"))
        let hints = frame.lines[23]
        for hint in ["h halt", "r resume", "1-8 chaos"] {
            let column = try #require(hints.distance(of: hint), "\(hint) missing")
            #expect(frame[23, column].style.role == ThemeRole.hintDisabled, "\(hint) not greyed")
        }
    }

    /// The quit dialog at 80×24: Cancel, Detach (keep trading) and Stop Bulwark, Cancel focused.
    @Test func goldenQuitDialog() throws {
        let (asked, _) = Fixture.press(model, .character("q"))
        let frame = ConsoleView.view(asked, size: (80, 24), glyphs: .unicode)
        try GoldenFrame.check(frame, "quit-dialog-80x24")
        let row = try #require(frame.lines.firstIndex { $0.contains("[> Cancel <]") })
        #expect(frame.lines[row].contains("[ Detach (keep trading) ]") && frame.lines[row].contains("[ Stop Bulwark ]"))
        let column = try #require(frame.lines[row].distance(of: "[> Cancel"))
        #expect(frame[row, column].style.role == ThemeRole.buttonFocus)
    }
}
