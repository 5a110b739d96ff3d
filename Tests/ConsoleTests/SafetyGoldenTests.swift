import Console
import Foundation
import Primitives
import Testing
import TradingModel

/// Golden frames of the safety banners (kill-switch HALTED, REDUCING) and of the Chaos pane folded and
/// unfolded, painted in colour, mono and ASCII.
struct SafetyGoldenTests {
    /// The sample, halted by the kill switch two minutes ago, frozen (the badge shows, the banner is live).
    static func killSwitch() -> ConsoleModel {
        let halted = TradingState(mode: .halted, reason: "kill switch file state/HALT", actor: .operator, since: Fixture.start.advanced(by: .seconds(3_480)))
        let frozen = Fixture.press(Fixture.sample(), .character("f")).0
        return ConsoleUpdate.update(Fixture.feed(frozen, .tradingState(halted)), tick: Fixture.start.advanced(by: .seconds(3_600)))
    }

    /// The sample, REDUCING after a flatten-all a few seconds ago.
    static func reducing() -> ConsoleModel {
        let reducing = TradingState(mode: .reducing, reason: "flatten all", actor: .operator, since: Fixture.start.advanced(by: .seconds(3_595)))
        return ConsoleUpdate.update(Fixture.feed(Fixture.sample(), .tradingState(reducing)), tick: Fixture.start.advanced(by: .seconds(3_600)))
    }

    /// Kill-switch banner in colour at 80×24, 60×20 (too small: still says HALTED) and 200×60.
    @Test(arguments: [(80, 24), (60, 20), (200, 60)])
    func killSwitchColour(width: Int, height: Int) throws {
        let frame = ConsoleView.view(Self.killSwitch(), size: (width, height), glyphs: .unicode)
        try PaintedGolden.check(frame, theme: .builtInDefault, capability: .twoFiftySix, "banner-killswitch-colour-\(width)x\(height)")
    }

    /// Kill-switch banner in mono at 80×24, 60×20 and 200×60.
    @Test(arguments: [(80, 24), (60, 20), (200, 60)])
    func killSwitchMono(width: Int, height: Int) throws {
        let frame = ConsoleView.view(Self.killSwitch(), size: (width, height), glyphs: .unicode)
        try PaintedGolden.check(frame, theme: .builtInMono, capability: .none, "banner-killswitch-mono-\(width)x\(height)")
    }

    /// REDUCING banner in colour and mono at 80×24 and 200×60.
    @Test(arguments: [(80, 24), (200, 60)])
    func reducingBanner(width: Int, height: Int) throws {
        let frame = ConsoleView.view(Self.reducing(), size: (width, height), glyphs: .unicode)
        try PaintedGolden.check(frame, theme: .builtInDefault, capability: .twoFiftySix, "banner-reducing-colour-\(width)x\(height)")
        try PaintedGolden.check(frame, theme: .builtInMono, capability: .none, "banner-reducing-mono-\(width)x\(height)")
    }

    /// Both banners in ASCII mono at 80×24 (no UTF-8, NO_COLOR).
    @Test func bannersASCII() throws {
        try PaintedGolden.check(
            ConsoleView.view(Self.killSwitch(), size: (80, 24), glyphs: .ascii), theme: .builtInMono, capability: .none,
            "banner-killswitch-ascii-mono-80x24")
        try PaintedGolden.check(
            ConsoleView.view(Self.reducing(), size: (80, 24), glyphs: .ascii), theme: .builtInMono, capability: .none,
            "banner-reducing-ascii-mono-80x24")
    }

    /// The Chaos pane unfolded with `c` (focused), at 80×24 and 200×60, and folded in ASCII.
    @Test func chaosPane() throws {
        let open = Fixture.press(Fixture.sample(), .character("c")).0
        try GoldenFrame.check(ConsoleView.view(open, size: (80, 24), glyphs: .unicode), "chaos-open-80x24")
        try GoldenFrame.check(ConsoleView.view(open, size: (200, 60), glyphs: .unicode), "chaos-open-200x60")
        try GoldenFrame.check(ConsoleView.view(Fixture.sample(), size: (80, 24), glyphs: .ascii), "chaos-folded-ascii-80x24")
    }
}
