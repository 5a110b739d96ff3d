import Console
import Foundation
import Testing

/// Golden-frame files: a frame written as text (characters, theme roles, attributes), compared with the
/// file under `Golden/`. `BULWARK_UPDATE_GOLDENS=1` rewrites the files in the source tree instead.
enum GoldenFrame {
    /// One letter per theme role, in `ThemeRole.all` order; `.` is no role, `?` an unknown one.
    static let roleCodes = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// The frame as golden text: three sections, each row between `|` so trailing spaces show.
    static func render(_ frame: Frame) -> String {
        precondition(ThemeRole.all.count <= roleCodes.count)
        var codes: [String: Character] = [:]
        for (index, role) in ThemeRole.all.enumerated() { codes[role] = roleCodes[index] }
        var out = "## text \(frame.width)x\(frame.height)\n"
        for line in frame.lines { out += "|" + line + "|\n" }
        let legend = ThemeRole.all.enumerated().map { "\(roleCodes[$0.offset])=\($0.element)" }.joined(separator: " ")
        out += "## roles (. none) \(legend)\n"
        for row in 0..<frame.height {
            var line = "|"
            for column in 0..<frame.width {
                let role = frame[row, column].style.role
                line.append(role.map { codes[$0] ?? "?" } ?? ".")
            }
            out += line + "|\n"
        }
        out += "## attributes (hex: 1 bold, 2 dim, 4 reverse, 8 underline; . none)\n"
        for row in 0..<frame.height {
            var line = "|"
            for column in 0..<frame.width {
                let bits = frame[row, column].style.attributes.rawValue
                line.append(bits == 0 ? "." : Character(String(bits, radix: 16)))
            }
            out += line + "|\n"
        }
        return out
    }

    static var updating: Bool { ProcessInfo.processInfo.environment["BULWARK_UPDATE_GOLDENS"] == "1" }

    /// Where the golden files live in the source tree (for updating).
    static func sourceURL(_ name: String, filePath: StaticString = #filePath) -> URL {
        URL(fileURLWithPath: "\(filePath)").deletingLastPathComponent().appendingPathComponent("Golden/\(name).txt")
    }

    /// Compares `frame` with the golden file `name`, recording a readable diff on difference.
    static func check(_ frame: Frame, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try check(text: render(frame), name, sourceLocation: sourceLocation)
    }

    /// Compares rendered golden text with the file `name` (or rewrites the file when updating).
    static func check(text actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        if updating {
            try actual.write(to: sourceURL(name), atomically: true, encoding: .utf8)
            return
        }
        guard let folder = Bundle.module.url(forResource: "Golden", withExtension: nil),
            let expected = try? String(contentsOf: folder.appendingPathComponent("\(name).txt"), encoding: .utf8)
        else {
            Issue.record("golden \(name).txt is missing: run the tests with BULWARK_UPDATE_GOLDENS=1 to write it", sourceLocation: sourceLocation)
            return
        }
        if let diff = diff(expected: expected, actual: actual) {
            Issue.record("frame differs from golden \(name).txt (BULWARK_UPDATE_GOLDENS=1 rewrites it):\n\(diff)", sourceLocation: sourceLocation)
        }
    }

    /// The differing lines, at most 12, each as expected/actual with a caret under the first difference.
    static func diff(expected: String, actual: String) -> String? {
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let got = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var report: [String] = []
        var differing = 0
        var section = ""
        for index in 0..<max(want.count, got.count) {
            let a = index < want.count ? String(want[index]) : "<missing>"
            let b = index < got.count ? String(got[index]) : "<missing>"
            if a.hasPrefix("## ") { section = String(a.prefix(20)) }
            guard a != b else { continue }
            differing += 1
            guard differing <= 12 else { continue }
            let first = zip(a, b).prefix(while: { $0 == $1 }).count
            report.append("line \(index + 1) [\(section)]:")
            report.append("  expected \(a)")
            report.append("  actual   \(b)")
            report.append("           " + String(repeating: " ", count: first) + "^")
        }
        guard differing > 0 else { return nil }
        if differing > 12 { report.append("… and \(differing - 12) more differing lines") }
        return report.joined(separator: "\n")
    }
}
