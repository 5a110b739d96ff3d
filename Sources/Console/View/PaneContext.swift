
/// What every pane drawer needs: the model (for focus and selection), the data shown and the glyphs.
struct PaneContext {
    let model: ConsoleModel
    let data: ConsoleModel.Snapshot
    let glyphs: Glyphs

    func isFocused(_ pane: Pane) -> Bool { model.focus == pane }

    /// Draws the pane's border and title; the note on the right says where the selection is when not
    /// every row fits. Returns the inside of the pane.
    func frame(_ pane: Pane, in rect: Rect, title: String? = nil, titleStyle: CellStyle = Style.title, rows: Int, visible: Int, into frame: inout Frame) -> Rect {
        let focused = isFocused(pane)
        let note = rows > visible && visible > 0 ? "\(model.selectedRow(in: pane) + 1)/\(rows)" : ""
        frame.box(
            rect, title: title ?? pane.title, note: note, glyphs: glyphs,
            border: focused ? Style.borderFocus : Style.border, titleStyle: titleStyle)
        return rect.inner
    }

    /// The first row to draw so that the selected row is visible, and the selected row (focused pane only).
    func window(_ pane: Pane, rows: Int, visible: Int) -> (start: Int, selected: Int?) {
        guard rows > 0, visible > 0 else { return (0, nil) }
        let selected = model.selectedRow(in: pane)
        let start = selected < visible ? 0 : min(selected - visible + 1, rows - visible)
        return (max(0, start), isFocused(pane) ? selected : nil)
    }

    /// Marks one drawn row as selected: plain cells take the selection style, status words keep theirs.
    func highlight(row: Int, in rect: Rect, into frame: inout Frame) {
        guard row >= 0, row < frame.height else { return }
        let left = max(0, rect.column)
        let right = min(frame.width, rect.right)
        guard left < right else { return }
        for x in left..<right {
            let style = frame[row, x].style
            if style.hasNoRole || style.hasRole(of: Style.text) || style.hasRole(of: Style.dim) || style.hasRole(of: Style.guardReject) {
                frame[row, x].style = Style.selection
            }
        }
    }
}

/// A row of columns: each `put` writes one field at the next column and moves on.
struct RowWriter {
    var row: Int
    var x: Int
    let end: Int
    let ellipsis: Character

    init(row: Int, in rect: Rect, ellipsis: Character) {
        self.row = row
        self.x = rect.column
        self.end = rect.right
        self.ellipsis = ellipsis
    }

    var remaining: Int { max(0, end - x) }

    /// Writes `text` left-aligned in `width` cells (or in what is left), then a one-cell gap.
    mutating func left(_ text: String, width: Int? = nil, style: CellStyle, into frame: inout Frame) {
        let w = min(width ?? remaining, remaining)
        guard w > 0 else { return }
        frame.text(text, row: row, column: x, width: w, style: style, ellipsis: ellipsis)
        x += w + 1
    }

    /// Writes `text` right-aligned in `width` cells, then a one-cell gap.
    mutating func right(_ text: String, width: Int, style: CellStyle, into frame: inout Frame) {
        let w = min(width, remaining)
        guard w > 0 else { return }
        frame.textRight(text, row: row, column: x, width: w, style: style, ellipsis: ellipsis)
        x += w + 1
    }
}
