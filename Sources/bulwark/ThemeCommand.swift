import ArgumentParser
import Console
import Foundation

/// `bulwark theme …`: console themes.
struct ThemeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "theme",
        abstract: "Work with console themes.",
        subcommands: [ThemeCheck.self])
}

/// `bulwark theme check FILE`: reports every problem of a theme file, `FILE:LINE: severity: message`.
struct ThemeCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a theme file; print ok or each problem as FILE:LINE: message.",
        discussion: "Exit 0 when the theme can be used (warnings allowed), 65 when it has an error, 66 when it cannot be read.")

    @Argument(help: ArgumentHelp("The theme file, e.g. themes/default.theme.", valueName: "file"))
    var file: String

    func run() async throws {
        do {
            let loaded = try Theme.load(file: file)
            if loaded.warnings.isEmpty {
                print("ok")
            } else {
                for warning in loaded.warnings { print(warning) }
            }
        } catch {
            guard error.code == .invalid else {
                Terminal.printError("bulwark: \(error.message)")
                throw ExitCode(66)
            }
            for diagnostic in error.diagnostics { print(diagnostic.formatted(file: file)) }
            throw ExitCode(65)
        }
    }
}
