import Testing

@testable import Console

struct ColorPaletteTests {
    /// `#RRGGBB` maps to the nearest entry of the xterm colour cube or grey ramp with 256 colours.
    @Test func nearestIn256Colours() throws {
        func mapped(_ text: String) throws -> Int { try ThemeColor.parse(text).get().terminalColor(for: .twoFiftySix) }
        #expect(try mapped("#ff0000") == 196)
        #expect(try mapped("#5f87af") == 67)
        #expect(try mapped("#000000") == 16)
        #expect(try mapped("#080808") == 232)
        #expect(try mapped("#808080") == 244)
        #expect(try mapped("#eeeeee") == 255)
        #expect(try mapped("#002b36") == 234)
        #expect(try mapped("#839496") == 246)
    }

    /// `#RRGGBB` and palette indexes above 15 map to the nearest of the 8 basic colours with 8 colours.
    @Test func nearestIn8Colours() throws {
        func mapped(_ text: String) throws -> Int { try ThemeColor.parse(text).get().terminalColor(for: .eight) }
        #expect(try mapped("#ff0000") == 1)
        #expect(try mapped("#00ff00") == 2)
        #expect(try mapped("#ffa500") == 3)
        #expect(try mapped("#0000ff") == 4)
        #expect(try mapped("#ffffff") == 7)
        #expect(try mapped("#202020") == 0)
        #expect(try mapped("#002b36") == 0)
        #expect(try mapped("#00aa00") == 2)
        #expect(try mapped("200") == 5)
        #expect(try mapped("12") == 4)
        #expect(try mapped("3") == 3)
    }

    /// With no colours every colour is the terminal's default.
    @Test func monoHasNoColours() throws {
        for text in ["red", "bright-blue", "200", "#123456", "default"] {
            #expect(try ThemeColor.parse(text).get().terminalColor(for: .none) == -1)
        }
    }

    /// The capability follows the number of colours the terminal reports.
    @Test func capabilityFromColours() {
        #expect(ColorCapability(colors: 0) == .none)
        #expect(ColorCapability(colors: 8) == .eight)
        #expect(ColorCapability(colors: 16) == .eight)
        #expect(ColorCapability(colors: 256) == .twoFiftySix)
        #expect(ColorCapability(colors: 16_777_216) == .twoFiftySix)
    }
}
