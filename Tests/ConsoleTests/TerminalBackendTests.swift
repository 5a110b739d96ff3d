import CNCurses
import Testing

@testable import Console

struct TerminalBackendTests {
    private let ok = bulwark_ok()
    private let function = bulwark_key_code_yes()

    /// Characters from `wget_wch` become keys: printable ones as characters, the control keys by name.
    @Test func decodesCharacters() {
        #expect(Key(cursesStatus: ok, value: 0x71) == .character("q"))
        #expect(Key(cursesStatus: ok, value: 0x51) == .character("Q"))
        #expect(Key(cursesStatus: ok, value: 0x3F) == .character("?"))
        #expect(Key(cursesStatus: ok, value: 0xE9) == .character("é"))
        #expect(Key(cursesStatus: ok, value: 9) == .tab)
        #expect(Key(cursesStatus: ok, value: 10) == .enter)
        #expect(Key(cursesStatus: ok, value: 13) == .enter)
        #expect(Key(cursesStatus: ok, value: 27) == .escape)
        #expect(Key(cursesStatus: ok, value: 127) == .backspace)
        #expect(Key(cursesStatus: ok, value: 1) == nil)
        #expect(Key(cursesStatus: bulwark_err(), value: 0x71) == nil)
    }

    /// Function-key codes (`KEY_CODE_YES`) become arrows, paging, back-tab, enter, backspace and resize.
    @Test func decodesFunctionKeys() {
        func key(_ code: Int32) -> Key? { Key(cursesStatus: function, value: UInt32(code)) }
        #expect(key(bulwark_key_code_up()) == .up)
        #expect(key(bulwark_key_code_down()) == .down)
        #expect(key(bulwark_key_code_left()) == .left)
        #expect(key(bulwark_key_code_right()) == .right)
        #expect(key(bulwark_key_code_ppage()) == .pageUp)
        #expect(key(bulwark_key_code_npage()) == .pageDown)
        #expect(key(bulwark_key_code_home()) == .home)
        #expect(key(bulwark_key_code_end()) == .end)
        #expect(key(bulwark_key_code_btab()) == .backTab)
        #expect(key(bulwark_key_code_enter()) == .enter)
        #expect(key(bulwark_key_code_backspace()) == .backspace)
        #expect(key(bulwark_key_resize()) == .resize)
        #expect(key(0o410) == nil)  // KEY_F0: not used by the console
    }

    /// Colour pairs are allocated once per (foreground, background) and reused; defaults are pair 0.
    @Test func colourPairsAreCached() {
        var table = ColorPairTable(capacity: 256, defaultColorsAllowed: true)
        #expect(table.pair(foreground: -1, background: -1) == .init(number: 0, isNew: false, foreground: -1, background: -1))
        #expect(table.pair(foreground: 1, background: -1) == .init(number: 1, isNew: true, foreground: 1, background: -1))
        #expect(table.pair(foreground: 2, background: 4) == .init(number: 2, isNew: true, foreground: 2, background: 4))
        #expect(table.pair(foreground: 1, background: -1) == .init(number: 1, isNew: false, foreground: 1, background: -1))
        #expect(table.count == 2)
    }

    /// A full table falls back to pair 0, and without default colours -1 becomes white on black.
    @Test func colourPairLimits() {
        var small = ColorPairTable(capacity: 3, defaultColorsAllowed: true)
        #expect(small.pair(foreground: 1, background: 0).number == 1)
        #expect(small.pair(foreground: 2, background: 0).number == 2)
        #expect(small.pair(foreground: 3, background: 0) == .init(number: 0, isNew: false, foreground: 3, background: 0))
        var noDefaults = ColorPairTable(capacity: 64, defaultColorsAllowed: false)
        #expect(noDefaults.pair(foreground: -1, background: -1).number == 0)
        #expect(noDefaults.pair(foreground: 1, background: -1) == .init(number: 1, isNew: true, foreground: 1, background: 0))
        #expect(noDefaults.pair(foreground: -1, background: 4) == .init(number: 2, isNew: true, foreground: 7, background: 4))
    }

    /// A screen that was never started can be stopped, and its key stream ends.
    @Test func stopWithoutStart() async {
        let screen = TerminalScreen()
        screen.stop()
        var count = 0
        for await _ in screen.keys { count += 1 }
        #expect(count == 0)
        #expect(screen.bytesWritten == nil)
    }
}
