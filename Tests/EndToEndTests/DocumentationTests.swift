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
        for variable in Configuration.catalog {
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
