/// A rectangle of cells: where a pane, dialog or column goes.
struct Rect: Hashable, Sendable {
    var row: Int
    var column: Int
    var width: Int
    var height: Int

    var bottom: Int { row + height }
    var right: Int { column + width }

    /// The rectangle inside a one-cell border.
    var inner: Rect { Rect(row: row + 1, column: column + 1, width: max(0, width - 2), height: max(0, height - 2)) }

    /// A rectangle of `width`×`height` centered in this one (shrunk to fit).
    func centered(width: Int, height: Int) -> Rect {
        let w = min(width, self.width)
        let h = min(height, self.height)
        return Rect(row: row + (self.height - h) / 2, column: column + (self.width - w) / 2, width: w, height: h)
    }
}

/// Drawing primitives the view builds on. They write cells directly, clip to the frame and to the width
/// asked for, and never measure a string they do not have to.
extension Frame {
    /// Writes `text` at (`row`, `column`) in at most `width` cells; cut text ends with `ellipsis`.
    /// Returns the column after the last cell written.
    @discardableResult
    mutating func text(
        _ text: String, row: Int, column: Int, width: Int, style: CellStyle, ellipsis: Character? = nil
    ) -> Int {
        guard width > 0, row >= 0, row < height else { return column }
        let end = Swift.min(column + width, self.width)
        let (x, cut) = write(asciiOnly ? Glyphs.asciiText(text) : text, row: row, from: column, before: end, style: style)
        if cut, let ellipsis, end - 1 >= Swift.max(column, 0) { self[row, end - 1] = Cell(ellipsis, style: style) }
        return x
    }

    /// Writes `text` right-aligned so that it ends just before `column + width`.
    mutating func textRight(_ text: String, row: Int, column: Int, width: Int, style: CellStyle, ellipsis: Character? = nil) {
        let text = asciiOnly ? Glyphs.asciiText(text) : text
        let count = text.utf8.count == text.unicodeScalars.count ? text.utf8.count : text.count
        if count >= width {
            self.text(text, row: row, column: column, width: width, style: style, ellipsis: ellipsis)
        } else {
            self.text(text, row: row, column: column + width - count, width: count, style: style)
        }
    }

    /// Fills `rect` with `character`.
    mutating func fill(_ rect: Rect, with character: Character = " ", style: CellStyle) {
        let cell = Cell(character, style: style)
        let top = Swift.max(0, rect.row)
        let bottom = Swift.min(height, rect.bottom)
        let left = Swift.max(0, rect.column)
        let right = Swift.min(width, rect.right)
        guard top < bottom, left < right else { return }
        for y in top..<bottom {
            for x in left..<right { self[y, x] = cell }
        }
    }

    /// Restyles the cells of one row between `column` and `column + width`, keeping their characters.
    mutating func restyle(row: Int, column: Int, width: Int, style: CellStyle) {
        guard row >= 0, row < height else { return }
        for x in Swift.max(0, column)..<Swift.max(Swift.max(0, column), Swift.min(self.width, column + width)) {
            self[row, x].style = style
        }
    }

    /// Draws a border around `rect` with `title` on its top edge and `note` on the right of it.
    mutating func box(_ rect: Rect, title: String, note: String = "", glyphs: Glyphs, border: CellStyle, titleStyle: CellStyle) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let top = rect.row
        let bottom = rect.bottom - 1
        let left = rect.column
        let right = rect.right - 1
        let horizontal = Cell(glyphs.horizontal, style: border)
        let vertical = Cell(glyphs.vertical, style: border)
        for x in (left + 1)..<right where x >= 0 && x < width {
            if top >= 0, top < height { self[top, x] = horizontal }
            if bottom >= 0, bottom < height { self[bottom, x] = horizontal }
        }
        for y in (top + 1)..<bottom where y >= 0 && y < height {
            if left >= 0, left < width { self[y, left] = vertical }
            if right >= 0, right < width { self[y, right] = vertical }
        }
        if top >= 0, top < height, left >= 0, right < width {
            self[top, left] = Cell(glyphs.topLeft, style: border)
            self[top, right] = Cell(glyphs.topRight, style: border)
        }
        if bottom >= 0, bottom < height, left >= 0, right < width {
            self[bottom, left] = Cell(glyphs.bottomLeft, style: border)
            self[bottom, right] = Cell(glyphs.bottomRight, style: border)
        }
        var noteWidth = 0
        if !note.isEmpty, rect.width > 8 {
            noteWidth = Swift.min(note.count + 2, rect.width / 2)
            text(" " + note + " ", row: top, column: right - noteWidth, width: noteWidth, style: border)
        }
        if !title.isEmpty {
            let available = rect.width - 4 - noteWidth
            guard available > 0 else { return }
            text(" " + title + " ", row: top, column: left + 1, width: available + 2, style: titleStyle, ellipsis: glyphs.ellipsis)
        }
    }
}
