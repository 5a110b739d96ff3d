import Foundation
import Primitives

extension Theme {
    /// A theme ready to use and what the operator should be told about it.
    public struct Loaded: Sendable {
        public var theme: Theme
        /// Unknown keys, duplicate keys, a missing theme replaced by the built-in one: one line each,
        /// `FILE:LINE: warning: …` where a line is concerned.
        public var warnings: [String]
    }

    /// The largest theme file read: anything bigger is refused from its size, never read.
    public static let maximumFileSize = 1 << 20

    /// Reads a theme file; errors throw, warnings come back with the theme.
    public static func load(file path: String, name: String? = nil) throws(ThemeError) -> Loaded {
        // Without blocking (a FIFO is refused, not waited on), a regular file only, at most 1 MiB.
        let text: String
        switch RegularFile.read(path, maximumSize: maximumFileSize, followSymlinks: true) {
        case .missing:
            throw ThemeError(code: .unreadable, message: "\(path): cannot read the theme: it does not exist")
        case .unusable(let reason):
            throw ThemeError(code: .unreadable, message: "\(path): cannot read the theme: \(reason)")
        case .bytes(let bytes):
            guard let decoded = String(validating: bytes, as: UTF8.self) else {
                throw ThemeError(code: .unreadable, message: "\(path): cannot read the theme: it is not UTF-8 text")
            }
            text = decoded
        }
        let result = ThemeParser.parse(text)
        let themeName = name ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        guard result.errors.isEmpty else {
            let count = result.errors.count
            throw ThemeError(
                code: .invalid, message: "\(path): \(count) error\(count == 1 ? "" : "s") in the theme",
                diagnostics: result.diagnostics)
        }
        return Loaded(
            theme: Theme(name: themeName, styles: result.styles),
            warnings: result.warnings.map { $0.formatted(file: path) })
    }

    /// The theme to use: `name` (default `default`) from `directory` as `<name>.theme`, or a path when
    /// `name` has a `/` or ends in `.theme`. `NO_COLOR` set and not empty selects `mono`. `default` and
    /// `mono` are built in: without a file of that name they are used as they are, with no warning. Any
    /// other theme that is not there falls back to the built-in one with a warning; a file with errors
    /// throws.
    public static func named(
        _ name: String?, in directory: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ThemeError) -> Loaded {
        var warnings: [String] = []
        let given = name.flatMap { $0.isEmpty ? nil : $0 }
        var requested = given ?? "default"
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty, requested != "mono" {
            if given != nil { warnings.append("NO_COLOR is set: using the mono theme instead of '\(requested)'") }
            requested = "mono"
        }
        let isPath = requested.contains("/") || requested.hasSuffix(".theme")
        let path = isPath ? requested : (directory as NSString).appendingPathComponent("\(requested).theme")
        guard FileManager.default.fileExists(atPath: path) else {
            let fallback = requested == "mono" ? Theme.builtInMono : Theme.builtInDefault
            if !isPath, requested == fallback.name { return Loaded(theme: fallback, warnings: warnings) }
            warnings.append("theme '\(requested)' not found (\(path)); using the built-in \(fallback.name) theme")
            return Loaded(theme: fallback, warnings: warnings)
        }
        var loaded = try load(file: path, name: isPath ? nil : requested)
        loaded.warnings.insert(contentsOf: warnings, at: 0)
        return loaded
    }
}
