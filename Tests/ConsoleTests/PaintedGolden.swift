import Console
import Foundation
import Testing

/// Golden frames as the terminal paints them with a theme: the text, then each cell's resolved look —
/// foreground, background (-1: the terminal's own) and attributes, combined by `Theme.paint` exactly as the
/// backend does — one letter per distinct look, with a legend in order of first use.
enum PaintedGolden {
    static let codes = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    static func render(_ frame: Frame, theme: Theme, capability: ColorCapability) -> String {
        var looks: [ResolvedStyle] = []
        var index: [ResolvedStyle: Character] = [:]
        var grid = ""
        for row in 0..<frame.height {
            grid += "|"
            for column in 0..<frame.width {
                let style = frame[row, column].style
                let look = theme.paint(style, for: capability)
                if index[look] == nil {
                    index[look] = looks.count < codes.count ? codes[looks.count] : "?"
                    looks.append(look)
                }
                grid.append(index[look]!)
            }
            grid += "|\n"
        }
        var out = "## text \(frame.width)x\(frame.height), theme \(theme.name), colours \(capability)\n"
        for line in frame.lines { out += "|" + line + "|\n" }
        out += "## looks\n"
        for look in looks { out += "\(index[look]!) = \(describe(look))\n" }
        out += "## painted\n" + grid
        return out
    }

    static func describe(_ look: ResolvedStyle) -> String {
        var names: [String] = []
        if look.attributes.contains(.bold) { names.append("bold") }
        if look.attributes.contains(.dim) { names.append("dim") }
        if look.attributes.contains(.reverse) { names.append("reverse") }
        if look.attributes.contains(.underline) { names.append("underline") }
        return "fg \(look.foreground) bg \(look.background)" + (names.isEmpty ? "" : " " + names.joined(separator: " "))
    }

    static func check(_ frame: Frame, theme: Theme, capability: ColorCapability, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try GoldenFrame.check(text: render(frame, theme: theme, capability: capability), name, sourceLocation: sourceLocation)
    }
}

/// The sample frames painted in colour and in mono, at the three sizes.
struct PaintedGoldenTests {
    let model = Fixture.sample()

    /// Colour: the default theme on a 256-colour terminal, at 80×24, 60×20 and 200×60.
    @Test(arguments: [(80, 24), (60, 20), (200, 60)])
    func colour(width: Int, height: Int) throws {
        let frame = ConsoleView.view(model, size: (width, height), glyphs: .unicode)
        try PaintedGolden.check(frame, theme: .builtInDefault, capability: .twoFiftySix, "painted-colour-\(width)x\(height)")
    }

    /// Mono: no colours at all (fg and bg the terminal's own); state carried by attributes, at the three sizes.
    @Test(arguments: [(80, 24), (60, 20), (200, 60)])
    func mono(width: Int, height: Int) throws {
        let frame = ConsoleView.view(model, size: (width, height), glyphs: .unicode)
        let text = PaintedGolden.render(frame, theme: .builtInMono, capability: .none)
        #expect(!text.contains("fg 1") && text.contains("fg -1 bg -1"), "mono paints no colour")
        try PaintedGolden.check(frame, theme: .builtInMono, capability: .none, "painted-mono-\(width)x\(height)")
    }

    /// ASCII and mono together (no UTF-8, NO_COLOR), as over a bare SSH session, at 80×24.
    @Test func asciiMono() throws {
        let frame = ConsoleView.view(model, size: (80, 24), glyphs: .ascii)
        try PaintedGolden.check(frame, theme: .builtInMono, capability: .none, "painted-ascii-mono-80x24")
    }
}

/// How a cell's own attributes combine with its theme style.
struct ThemePaintTests {
    /// A colour theme's background is not inverted by the cell's `reverse`; bold still adds; in mono the
    /// reverse is kept, since nothing else marks the cell.
    @Test func reverseOnlyWhereNoBackground() {
        let header = CellStyle(role: ThemeRole.header, attributes: [.reverse, .bold])
        let colour = Theme.builtInDefault.paint(header, for: .twoFiftySix)
        #expect(colour.background != ResolvedStyle.defaultColor)
        #expect(!colour.attributes.contains(.reverse) && colour.attributes.contains(.bold))
        let mono = Theme.builtInMono.paint(header, for: .none)
        #expect(mono.attributes.contains(.reverse) && mono.attributes.contains(.bold))
        let text = Theme.builtInDefault.paint(CellStyle(role: ThemeRole.text, attributes: .reverse), for: .eight)
        #expect(text.attributes.contains(.reverse), "no background colour: the reverse stays")
    }
}
