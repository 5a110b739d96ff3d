import Foundation

/// Help, details and dialogs, drawn centered on top of everything else.
extension ConsoleView {
    static func drawOverlay(_ model: ConsoleModel, into frame: inout Frame, glyphs: Glyphs) {
        guard let overlay = model.overlay, frame.width >= 10, frame.height >= 5 else { return }
        switch overlay {
        case .help:
            drawHelp(model, into: &frame, glyphs: glyphs)
        case .details(let title, let lines):
            let width = min(frame.width - 2, 72)
            var body: [(String, CellStyle)] = []
            for line in lines {
                for part in wrap(line, width: width - 4) { body.append((part, Style.dialog)) }
            }
            body.append(("", Style.dialog))
            body.append(("Esc closes", Style.hint))
            drawPanel(title: title, lines: body, width: width, style: Style.dialog, into: &frame, glyphs: glyphs)
        case .dialog(let dialog):
            drawDialog(dialog, into: &frame, glyphs: glyphs)
        }
    }

    private static func drawHelp(_ model: ConsoleModel, into frame: inout Frame, glyphs: Glyphs) {
        var lines: [(String, CellStyle)] = []
        for entry in KeyHelp.entries(for: model) {
            let disabled = KeyHelp.isDisabled(entry.command, model: model)
            let key = entry.key.padding(toLength: 13, withPad: " ", startingAt: 0)
            lines.append((key + entry.label + (disabled ? " (refused)" : ""), disabled ? Style.hintDisabled : Style.dialog))
        }
        lines.append(("", Style.dialog))
        if model.readOnly { lines.append(("Read-only console: commands that change trading are refused.", Style.hintDisabled)) }
        if !model.isConnected { lines.append(("Not connected: only h works (it creates state/HALT).", Style.hintDisabled)) }
        if model.chaosLocked { lines.append(("Chaos is LOCKED: the broker is a live account.", Style.chaosLocked)) }
        lines.append(("Esc or ? closes this help", Style.hint))
        drawPanel(title: "Keys", lines: fitted(lines, rows: frame.height - 4), width: min(frame.width - 2, 66), style: Style.dialog, into: &frame, glyphs: glyphs)
    }

    /// `lines` in at most `rows`: blank lines go first, then the lines before the last (the way out).
    static func fitted(_ lines: [(String, CellStyle)], rows: Int) -> [(String, CellStyle)] {
        guard lines.count > rows else { return lines }
        var kept = lines
        while kept.count > rows, let blank = kept.lastIndex(where: { $0.0.isEmpty }) { kept.remove(at: blank) }
        guard kept.count > rows, rows >= 1, let last = kept.last else { return kept }
        return Array(kept.prefix(rows - 1)) + [last]
    }

    private static func drawDialog(_ dialog: Dialog, into frame: inout Frame, glyphs: Glyphs) {
        let style = dialog.isDangerous ? Style.dialogDanger : Style.dialog
        let width = min(frame.width - 2, dialog.alternate == nil ? 60 : 70)
        var lines: [(String, CellStyle)] = []
        for line in dialog.lines {
            for part in wrap(line, width: width - 4) { lines.append((part, style)) }
        }
        lines.append(("", style))
        if let word = dialog.requiredWord {
            let marker = dialog.wordMatches ? "  (Enter confirms)" : ""
            lines.append(("Type \(word): [" + dialog.typed + "_]" + marker, dialog.wordMatches ? Style.buttonFocus : Style.button))
            lines.append(("", style))
            lines.append(("Enter confirms only when the word matches; Esc cancels", Style.hint))
            lines.append(("Esc, then h to halt", Style.hint))
        } else {
            lines.append(("", style))  // the buttons go here
            lines.append(("", style))
            lines.append((dialog.keysHint, Style.hint))
        }
        let rect = drawPanel(title: dialog.title, lines: lines, width: width, style: style, into: &frame, glyphs: glyphs)
        guard dialog.requiredWord == nil, rect.height >= 4 else { return }
        // Buttons, Cancel first: the focused one is reversed and marked so mono shows it too.
        let row = rect.row + 1 + lines.count - 3
        var x = rect.column + 2
        for (index, button) in dialog.buttons.enumerated() {
            let label: String =
                switch button {
                case .cancel: "Cancel"
                case .confirm: dialog.confirmLabel
                case .alternate: dialog.alternate?.label ?? ""
                }
            let focused = dialog.focus == button
            if index > 0 { x += 3 }
            x = frame.text(
                focused ? "[> \(label) <]" : "[ \(label) ]", row: row, column: x, width: rect.right - 1 - x,
                style: focused ? Style.buttonFocus : Style.button)
        }
    }

    /// A bordered box centered between the header and the key-hint line (the header's trading state and
    /// health stay in sight under every overlay), filled with `style`, holding `lines`. Returns its rectangle.
    @discardableResult
    private static func drawPanel(title: String, lines: [(String, CellStyle)], width: Int, style: CellStyle, into frame: inout Frame, glyphs: Glyphs) -> Rect {
        let full = Rect(row: 1, column: 0, width: frame.width, height: frame.height - 2)
        let rect = full.centered(width: width, height: lines.count + 2)
        frame.fill(rect, style: style)
        frame.box(rect, title: title, glyphs: glyphs, border: style, titleStyle: CellStyle(role: style.role, attributes: [.bold, .underline]))
        let inner = rect.inner
        for (offset, line) in lines.enumerated() where offset < inner.height {
            frame.text(line.0, row: inner.row + offset, column: inner.column + 1, width: inner.width - 2, style: line.1, ellipsis: glyphs.ellipsis)
        }
        return rect
    }

    /// Splits `text` into lines of at most `width` characters, at spaces where it can.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0, text.count > width else { return [text] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = Substring(word)
            while word.count > width {
                if !current.isEmpty {
                    lines.append(current)
                    current = ""
                }
                lines.append(String(word.prefix(width)))
                word = word.dropFirst(width)
            }
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
