import Console
import Testing
import Primitives
import TradingModel

struct ConsoleKeyUpdateTests {
    let model = Fixture.sample()

    /// `?` opens the help overlay; Esc closes it; other keys do nothing while it is open, except `h`,
    /// which halts from there too.
    @Test func helpOverlay() {
        var (next, effects) = Fixture.press(model, .character("?"))
        #expect(next.overlay == .help)
        (next, effects) = Fixture.press(next, .character("1"), .character("t"))
        #expect(next.overlay == .help)
        #expect(effects.isEmpty)
        (next, _) = Fixture.press(next, .escape)
        #expect(next.overlay == nil)
        let (halted, haltEffects) = Fixture.press(model, .character("?"), .character("h"))
        #expect(haltEffects == [.send(.halt)])
        #expect(halted.overlay == nil)
    }

    /// `q` asks Detach / Stop Bulwark / Cancel: Enter on the fresh dialog cancels (Cancel has the focus),
    /// `d` detaches, `s` stops, and `y` (which would not say which) does nothing.
    @Test func quitAsksAndCancelIsTheDefault() {
        let (asked, none) = Fixture.press(model, .character("q"))
        #expect(asked.dialog?.focus == .cancel)
        #expect(asked.dialog?.effect == .stop)
        #expect(asked.dialog?.alternate?.effect == .detach)
        #expect(asked.dialog?.buttons == [.cancel, .alternate, .confirm])
        #expect(none.isEmpty)
        let (cancelled, noEffects) = Fixture.press(asked, .enter)
        #expect(cancelled.overlay == nil)
        #expect(noEffects.isEmpty)
        #expect(Fixture.press(asked, .character("d")).1 == [.detach])
        #expect(Fixture.press(asked, .character("s")).1 == [.stop])
        let (still, nothing) = Fixture.press(asked, .character("y"))
        #expect(still.dialog == asked.dialog)
        #expect(nothing.isEmpty)
    }

    /// An attached console's `q` just ends the client: no question, and never a stop.
    @Test func attachedQuitDetaches() {
        var attached = model
        attached.isAttached = true
        let (after, effects) = Fixture.press(attached, .character("q"))
        #expect(effects == [.detach])
        #expect(after.overlay == nil)
        let (_, fromHelp) = Fixture.press(attached, .character("?"), .character("q"))
        #expect(fromHelp == [.detach])
    }

    /// In a dialog `n` and Esc cancel; Tab, Left and Right move the focus, and Enter presses the focused button.
    @Test func dialogButtons() {
        let (asked, _) = Fixture.press(model, .character("q"))
        for cancel in [Key.character("n"), .escape] {
            let (closed, effects) = Fixture.press(asked, cancel)
            #expect(closed.overlay == nil)
            #expect(effects.isEmpty)
        }
        let (moved, _) = Fixture.press(asked, .tab)
        #expect(moved.dialog?.focus == .alternate)
        #expect(Fixture.press(moved, .enter).1 == [.detach])
        #expect(Fixture.press(moved, .tab, .enter).1 == [.stop])
        #expect(Fixture.press(asked, .tab, .tab, .tab).0.dialog?.focus == .cancel)
        #expect(Fixture.press(asked, .left).0.dialog?.focus == .confirm)
        #expect(Fixture.press(asked, .right, .left).0.dialog?.focus == .cancel)
        #expect(Fixture.press(asked, .right, .left, .enter).1.isEmpty)
        let (resume, _) = Fixture.press(model, .character("r"))
        #expect(Fixture.press(resume, .tab).0.dialog?.focus == .confirm)
        #expect(Fixture.press(resume, .tab, .enter).1 == [.send(.resume)])
        // Keys that mean something outside a dialog are ignored inside it (but `h` still halts).
        let (still, ignored) = Fixture.press(asked, .character("1"), .character("t"))
        #expect(still.dialog == asked.dialog)
        #expect(ignored.isEmpty)
    }

    /// `h` halts at once, without a dialog.
    @Test func haltIsImmediate() {
        let (next, effects) = Fixture.press(model, .character("h"))
        #expect(effects == [.send(.halt)])
        #expect(next.overlay == nil)
    }

    /// `r` opens a dialog that says what resume re-checks, with Cancel focused; `y` sends resume.
    @Test func resumeExplainsChecks() throws {
        let (asked, none) = Fixture.press(model, .character("r"))
        let dialog = try #require(asked.dialog)
        let text = dialog.lines.joined(separator: " ")
        for words in ["credentials", "API contract", "reconciliation", "kill switch", "state file can be written"] {
            #expect(text.contains(words), "resume dialog should mention \(words)")
        }
        #expect(dialog.focus == .cancel)
        #expect(none.isEmpty)
        #expect(Fixture.press(asked, .enter).1.isEmpty)
        #expect(Fixture.press(asked, .character("y")).1 == [.send(.resume)])
    }

    /// `x` asks before switching to reduce-only.
    @Test func reduceOnlyConfirms() {
        let (asked, none) = Fixture.press(model, .character("x"))
        #expect(asked.dialog?.effect == .send(.reduceOnly))
        #expect(none.isEmpty)
        #expect(Fixture.press(asked, .enter).1.isEmpty)
        #expect(Fixture.press(asked, .character("y")).1 == [.send(.reduceOnly)])
    }

    /// `F` needs the word typed: `y` is just a letter there, a wrong word cancels, `flatten` + Enter flattens.
    @Test func flattenNeedsTheWord() {
        let (asked, _) = Fixture.press(model, .character("F"))
        #expect(asked.dialog?.requiredWord == "flatten")
        let (typedY, none) = Fixture.press(asked, .character("y"))
        #expect(none.isEmpty)
        #expect(typedY.dialog?.typed == "y")
        #expect(Fixture.press(asked, .enter) .1.isEmpty)
        let (wrong, wrongEffects) = Fixture.press(asked, Fixture.typing("flaten") + [.enter])
        #expect(wrongEffects.isEmpty)
        #expect(wrong.overlay == nil)
        let (_, flattened) = Fixture.press(asked, Fixture.typing("flattex") + [.backspace, .character("n"), .enter])
        #expect(flattened == [.send(.flattenAll)])
        let (escaped, escapedEffects) = Fixture.press(asked, Fixture.typing("flatten") + [.escape])
        #expect(escaped.overlay == nil)
        #expect(escapedEffects.isEmpty)
    }

    /// A chaos number switches ON only after confirming (Cancel focused); switching OFF is immediate.
    @Test func chaosToggles() {
        // Mode 1 (alpaca_down) is off in the fixture; mode 7 (latency) is on.
        let (asked, none) = Fixture.press(model, .character("1"))
        #expect(none.isEmpty)
        #expect(asked.dialog?.focus == .cancel)
        #expect(Fixture.press(asked, .enter).1.isEmpty)
        #expect(Fixture.press(asked, .character("y")).1 == [.send(.chaos(.alpacaDown, on: true))])
        let (off, offEffects) = Fixture.press(model, .character("7"))
        #expect(off.overlay == nil)
        #expect(offEffects == [.send(.chaos(.latency, on: false))])
    }

    /// A number beyond the chaos modes does nothing.
    @Test func chaosNumberOutOfRange() {
        let (next, effects) = Fixture.press(model, .character("9"))
        #expect(effects.isEmpty)
        #expect(next == model)
        #expect(Fixture.press(model, .character("0")).1.isEmpty)
    }

    /// Against a live account chaos is locked: a message explains why and nothing is sent.
    @Test func chaosLockedOnLive() throws {
        let live = Fixture.sample(broker: .live)
        #expect(live.chaosLocked)
        for key in ["1", "7", "8"] {
            let (next, effects) = Fixture.press(live, .character(Character(key)))
            #expect(effects.isEmpty)
            #expect(next.overlay == nil)
            let notice = try #require(next.notice)
            #expect(notice.text.contains("LOCKED"))
            #expect(notice.text.contains("live account"))
        }
    }

    /// Read-only refuses halt, resume, reduce-only, flatten and chaos with a message, sending nothing.
    @Test func readOnlyRefusesTradingCommands() throws {
        let readOnly = Fixture.sample(readOnly: true)
        for key in ["h", "r", "x", "F", "1", "7"] {
            let (next, effects) = Fixture.press(readOnly, .character(Character(key)))
            #expect(effects.isEmpty, "\(key) must send nothing in read-only mode")
            #expect(next.overlay == nil, "\(key) must not open a dialog in read-only mode")
            let notice = try #require(next.notice)
            #expect(notice.text.contains("Read-only"))
        }
    }

    /// Read-only still lets the operator quit, freeze and switch themes.
    @Test func readOnlyStillQuits() {
        let readOnly = Fixture.sample(readOnly: true)
        #expect(Fixture.press(readOnly, .character("q"), .character("s")).1 == [.stop])
        #expect(Fixture.press(readOnly, .character("t")).1 == [.nextTheme])
        #expect(Fixture.press(readOnly, .character("f")).0.isFrozen)
    }

    /// A notice lasts until the next key press.
    @Test func noticeClearsOnNextKey() {
        let (refused, _) = Fixture.press(Fixture.sample(readOnly: true), .character("h"))
        #expect(refused.notice != nil)
        #expect(Fixture.press(refused, .down).0.notice == nil)
    }

    /// Tab and Shift-Tab cycle the focus through the five panes, both ways (Chaos once unfolded with `c`).
    @Test func focusCycles() {
        var next = model
        next.chaosExpanded = true
        var seen: [Pane] = []
        for _ in 0..<5 {
            seen.append(next.focus)
            next = Fixture.press(next, .tab).0
        }
        #expect(seen == [.services, .positions, .rejections, .chaos, .events])
        #expect(next.focus == .services)
        #expect(Fixture.press(model, .backTab).0.focus == .events)
        #expect(Fixture.press(model, .tab, .backTab).0.focus == .services)
        // Folded, the Chaos pane is skipped.
        #expect(Fixture.press(model, .tab, .tab, .tab).0.focus == .events)
    }

    /// Arrows and j/k move the selection of the focused pane, clamped; g and G jump to the ends.
    @Test func scrolling() {
        var next = Fixture.press(model, .tab, .tab).0  // Guard rejections: 12 rows
        next = Fixture.press(next, .down, .character("j"), .character("j")).0
        #expect(next.selectedRow(in: .rejections) == 3)
        next = Fixture.press(next, .up, .character("k")).0
        #expect(next.selectedRow(in: .rejections) == 1)
        next = Fixture.press(next, .character("G")).0
        #expect(next.selectedRow(in: .rejections) == 11)
        next = Fixture.press(next, .down).0
        #expect(next.selectedRow(in: .rejections) == 11)
        next = Fixture.press(next, .character("g"), .up).0
        #expect(next.selectedRow(in: .rejections) == 0)
        #expect(next.selectedRow(in: .services) == 0)
    }

    /// Enter shows a rejection's check, limit, actual and message.
    @Test func rejectionDetails() throws {
        let (next, _) = Fixture.press(model, .tab, .tab, .down, .enter)
        guard case .details(let title, let lines) = try #require(next.overlay) else {
            Issue.record("expected details")
            return
        }
        let rejection = model.live.rejections[1]
        let text = lines.joined(separator: "\n")
        #expect(title == "Guard rejection")
        for part in [rejection.check, rejection.limit, rejection.actual, rejection.message] {
            #expect(text.contains(part))
        }
        #expect(Fixture.press(next, .escape).0.overlay == nil)
    }

    /// Enter on a service shows its last error and restarts.
    @Test func serviceDetails() throws {
        let (next, _) = Fixture.press(model, .down, .enter)  // uw-daemon
        guard case .details(let title, let lines) = try #require(next.overlay) else {
            Issue.record("expected details")
            return
        }
        #expect(title == "Service uw-daemon")
        #expect(lines.contains("Restarts:    5"))
        #expect(lines.contains("Last error:  connection refused (uw api)"))
        #expect(lines.contains("Status:      FAILED (FAILED_RESTARTS)"))
    }

    /// `f` freezes and unfreezes; `t` asks for the next theme; a resize changes nothing.
    @Test func freezeThemeAndResize() {
        let (frozen, none) = Fixture.press(model, .character("f"))
        #expect(frozen.frozenSnapshot == model.live)
        #expect(none.isEmpty)
        #expect(Fixture.press(frozen, .character("f")).0.frozenSnapshot == nil)
        #expect(Fixture.press(model, .character("t")).1 == [.nextTheme])
        #expect(Fixture.press(model, .resize).0 == model)
    }
}
