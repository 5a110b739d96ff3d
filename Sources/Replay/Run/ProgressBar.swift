import Foundation
import Synchronization

/// A progress bar on standard error for long replays and tunes: one line redrawn in place (`\r`), only
/// when it changes, and cleared at the end. Never on standard output, which stays byte-identical.
public final class ProgressBar: Sendable {
    private let label: String
    private let shown = Mutex<String?>(nil)
    private let write: @Sendable (String) -> Void

    /// `write` receives the bytes for the terminal (standard error by default).
    public init(label: String, write: @escaping @Sendable (String) -> Void = ProgressBar.standardError) {
        self.label = label
        self.write = write
    }

    /// Whether a bar belongs on standard error: it is a terminal, or the operator asked (`forced`).
    public static func wanted(forced: Bool) -> Bool { forced || isatty(2) == 1 }

    /// The bar's line for `done` of `total`: `label [#####-----]  48% 90000/187200`.
    public static func line(label: String, done: Int, total: Int, width: Int = 30) -> String {
        let whole = max(total, 1)
        let part = min(max(done, 0), whole)
        let filled = part * width / whole
        let percent = part * 100 / whole
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let figure = String(repeating: " ", count: 3 - String(percent).count) + "\(percent)%"
        return "\(label) [\(bar)] \(figure) \(part)/\(total)"
    }

    /// Shows `done` of `total` (nothing is written when the line has not changed).
    public func update(done: Int, total: Int) {
        let text = Self.line(label: label, done: done, total: total)
        let changed = shown.withLock { last -> Bool in
            guard last != text else { return false }
            last = text
            return true
        }
        if changed { write("\r" + text) }
    }

    /// Clears the line, so what follows starts at the left.
    public func finish() {
        let width = shown.withLock { last -> Int? in
            defer { last = nil }
            return last?.count
        }
        if let width { write("\r" + String(repeating: " ", count: width) + "\r") }
    }

    public static let standardError: @Sendable (String) -> Void = { text in
        FileHandle.standardError.write(Data(text.utf8))
    }
}
