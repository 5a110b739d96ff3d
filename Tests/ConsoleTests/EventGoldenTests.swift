import Console
import Foundation
import Primitives
import Testing
import TradingModel

/// Golden frames of the event history: merged repeats in the Events pane, the `/` filter (typed and
/// applied), and the full-screen log view, painted in colour, mono and ASCII.
struct EventGoldenTests {
    /// The sample with 105 identical API failures over 104 seconds, then a recovery.
    static func merged() -> ConsoleModel {
        var model = Fixture.sample()
        let failure = APIFailure(api: "alpaca", endpoint: "/v2/account", errorClass: .network, message: "API call failed", attempt: 1, willRetry: true)
        for second in 0..<105 {
            model = ConsoleUpdate.update(model, event: Fixture.event(.apiError(failure), at: 3_400 + Int64(second)))
        }
        let recovery = APIRecovery(api: "alpaca", endpoint: "/v2/account", failedAttempts: 105)
        return ConsoleUpdate.update(model, event: Fixture.event(.apiRecovered(recovery), at: 3_520))
    }

    /// Merged, filtered by "alpaca" at warnings and above (applied), with the field open again.
    static func filtered(typing: Bool) -> ConsoleModel {
        let keys: [Key] = [.character("/")] + Fixture.typing("alpaca") + [.enter, .character("L")] + (typing ? [.character("/"), .backspace] : [])
        return Fixture.press(merged(), keys).0
    }

    /// Merged, in the log view (24 rows reported), scrolled to the oldest line.
    static func logView(rows: Int) -> ConsoleModel {
        Fixture.press(ConsoleUpdate.update(merged(), screenRows: rows), .character("l"), .character("g")).0
    }

    static var cases: [(String, (Int) -> ConsoleModel)] {
        [
            ("events-merged", { _ in merged() }),
            ("events-filtered", { _ in filtered(typing: false) }),
            ("events-filter-typing", { _ in filtered(typing: true) }),
            ("events-log", { logView(rows: $0) }),
        ]
    }

    /// Each case in colour and mono at 80×24, 60×20 (too small) and 200×60.
    @Test(arguments: [(80, 24), (60, 20), (200, 60)])
    func colourAndMono(width: Int, height: Int) throws {
        for (name, model) in Self.cases {
            let frame = ConsoleView.view(model(height), size: (width, height), glyphs: .unicode)
            try PaintedGolden.check(frame, theme: .builtInDefault, capability: .twoFiftySix, "\(name)-colour-\(width)x\(height)")
            try PaintedGolden.check(frame, theme: .builtInMono, capability: .none, "\(name)-mono-\(width)x\(height)")
        }
    }

    /// Each case in ASCII mono at 80×24: the repeat count reads `x105`, nothing outside seven bits.
    @Test func asciiMono() throws {
        for (name, model) in Self.cases {
            let frame = ConsoleView.view(model(24), size: (80, 24), glyphs: .ascii)
            #expect(frame.lines.allSatisfy { $0.allSatisfy(\.isASCII) })
            try PaintedGolden.check(frame, theme: .builtInMono, capability: .none, "\(name)-ascii-mono-80x24")
        }
    }
}
