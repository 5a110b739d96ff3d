import CNCurses
import Console
import Testing

struct FrameTests {
    /// Text is clipped to the frame on both sides and rows outside it are ignored.
    @Test func putClips() {
        var frame = Frame(width: 5, height: 2)
        frame.put("abcdefg", row: 0, column: 2)
        frame.put("xy", row: 1, column: -1)
        frame.put("zzz", row: 2, column: 0)
        #expect(frame.lines == ["  abc", "y    "])
    }

    /// Only changed cells are reported, as runs per row; a new size repaints everything.
    @Test func changes() {
        var before = Frame(width: 6, height: 2)
        before.put("abcdef", row: 0, column: 0)
        var after = before
        after.put("XY", row: 0, column: 1)
        after.put("Z", row: 0, column: 5)
        after.put("q", row: 1, column: 0, style: CellStyle(role: "health.ok", attributes: .bold))
        let runs = after.changes(since: before)
        #expect(runs.map { [$0.row, $0.column, $0.cells.count] } == [[0, 1, 2], [0, 5, 1], [1, 0, 1]])
        #expect(after.changes(since: after).isEmpty)
        #expect(after.changes(since: Frame(width: 3, height: 2)).count == 2)
        #expect(after.changes(since: nil).count == 2)
    }

    /// A style change alone counts as a change.
    @Test func styleOnlyChange() {
        var before = Frame(width: 2, height: 1)
        before.put("ok", row: 0, column: 0)
        var after = before
        after.put("ok", row: 0, column: 0, style: CellStyle(attributes: .reverse))
        #expect(after.changes(since: before).map(\.cells.count) == [2])
    }

    /// The C shim exposes ncurses' attribute bits and colour-pair macros: non-zero, distinct, round-tripping.
    @Test func shimAttributes() {
        let bits = [TerminalAttributes.bold, TerminalAttributes.dim, TerminalAttributes.reverse, TerminalAttributes.underline]
        #expect(bits.allSatisfy { $0 != 0 })
        #expect(Set(bits).count == 4)
        #expect(bulwark_pair_number(bulwark_color_pair(5)) == 5)
        #expect(bulwark_color_pair(3) & bulwark_a_color() != 0)
        #expect(TerminalAttributes.bits(for: [.bold, .underline]) == TerminalAttributes.bold | TerminalAttributes.underline)
    }
}
