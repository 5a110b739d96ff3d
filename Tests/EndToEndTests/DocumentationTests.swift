import Foundation
import Settings
import Testing

struct DocumentationTests {
    private var readme: String {
        get throws { try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8) }
    }

    /// The README's configuration table lists every variable Bulwark reads, with its default.
    @Test func everyVariableIsDocumented() throws {
        let readme = try readme
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| `") }
        for variable in BulwarkConfiguration.catalog {
            let row = rows.first { $0.hasPrefix("| `\(variable.name)` |") }
            #expect(row != nil, "README has no row for \(variable.name)")
            if let row, variable.defaultValue != "(none)" {
                #expect(row.contains(variable.defaultValue), "README row for \(variable.name) lacks its default \(variable.defaultValue)")
            }
        }
    }

    /// The README shows the two commands, and CI runs the test command.
    @Test func twoCommands() throws {
        let readme = try readme
        #expect(readme.contains("make run"))
        #expect(readme.contains("make test"))
        let ci = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent(".ci/run"), encoding: .utf8)
        #expect(ci.contains("make test"))
    }

    /// The top level holds exactly the folders of the design, and git ignores build output and runtime files.
    @Test func layout() throws {
        let root = BinaryRunner.packageRoot.path
        for folder in ["Sources", "Tests", "themes", "state", "logs"] {
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: root + "/" + folder, isDirectory: &isDirectory) && isDirectory.boolValue, "\(folder)/")
        }
        let ignore = try String(contentsOfFile: root + "/.gitignore", encoding: .utf8).split(separator: "\n").map(String.init)
        for entry in [".build/", "Package.resolved", "/state/*", "/logs/*"] {
            #expect(ignore.contains(entry), ".gitignore lacks \(entry)")
        }
    }
}

extension DocumentationTests {
    /// The README's target graph lists every target of `Package.swift` (tests aside) with exactly the
    /// package's own targets it depends on.
    @Test func targetGraph() throws {
        let manifest = try String(
            contentsOf: BinaryRunner.packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let declared = Self.targets(in: manifest)
        #expect(declared.count >= 15, "found only \(declared.keys.sorted()) in Package.swift")
        let readme = try readme
        let start = try #require(readme.range(of: "## Target graph"))
        let block = readme[start.upperBound...].components(separatedBy: "```")[1]
        var listed: [String: Set<String>] = [:]
        var current: String?
        for line in block.split(separator: "\n") {
            let parts = line.components(separatedBy: "→")
            if parts.count == 2 {
                current = parts[0].trimmingCharacters(in: .whitespaces)
                listed[current!] = []
            }
            guard let current else { continue }
            for name in (parts.last ?? "").split(separator: ",") {
                let name = name.trimmingCharacters(in: .whitespaces)
                if !name.isEmpty, name != "(none of ours)" { listed[current, default: []].insert(name) }
            }
        }
        #expect(Set(listed.keys) == Set(declared.keys), "README lists \(listed.keys.sorted()), Package.swift has \(declared.keys.sorted())")
        for (name, dependencies) in declared {
            #expect(listed[name] == dependencies, "\(name): README says \(listed[name]?.sorted() ?? []), Package.swift \(dependencies.sorted())")
        }
    }

    /// Every non-test target of the manifest with the names of the package's own targets it depends on.
    private static func targets(in manifest: String) -> [String: Set<String>] {
        var entries: [(name: String, dependencies: [String])] = []
        let kinds = [".target(", ".executableTarget(", ".systemLibrary("]
        var rest = manifest[...]
        while let next = kinds.compactMap({ rest.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            rest = rest[next.upperBound...]
            let end = rest.range(of: "\n        ),")?.lowerBound ?? rest.endIndex
            let entry = String(rest[..<end])
            guard let name = quoted(in: entry, after: "name: ").first else { continue }
            var dependencies: [String] = []
            if let open = entry.range(of: "dependencies: [") {
                var depth = 1
                var index = open.upperBound
                while index < entry.endIndex, depth > 0 {
                    if entry[index] == "[" { depth += 1 }
                    if entry[index] == "]" { depth -= 1 }
                    index = entry.index(after: index)
                }
                let list = entry[open.upperBound..<index].replacing(/\.product\([^)]*\)/, with: "")
                dependencies = quoted(in: String(list), after: nil)
            }
            entries.append((name, dependencies))
        }
        let names = Set(entries.map(\.name))
        return Dictionary(uniqueKeysWithValues: entries.map { ($0.name, Set($0.dependencies.filter(names.contains))) })
    }

    /// The double-quoted strings of `text` (after `marker`, the first one only).
    private static func quoted(in text: String, after marker: String?) -> [String] {
        var text = text[...]
        if let marker {
            guard let at = text.range(of: marker) else { return [] }
            text = text[at.upperBound...]
        }
        let found = text.matches(of: /"([^"]*)"/).map { String($0.1) }
        return marker == nil ? found : Array(found.prefix(1))
    }
}
