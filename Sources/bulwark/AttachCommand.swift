import ArgumentParser
import Console
import Foundation
import Primitives

/// `bulwark attach`: the console of a running Bulwark — headless under systemd, or another terminal's
/// `bulwark run` — as a client of its control socket. Quitting it never stops the service. While the
/// instance cannot be reached the console says DISCONNECTED and keeps trying; `h` then creates
/// `state/HALT`.
struct AttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Show the console of a running Bulwark (headless or not) through its control socket; quitting it never stops the service.")

    @Flag(help: "Watch only: nothing that changes trading or chaos is sent (and the server refuses it too).")
    var readonly = false

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("The state folder of the instance (default ./state).", valueName: "path"))
    var stateDirectory: String?

    @Option(name: .customLong("themes-dir"), help: ArgumentHelp("Folder of console themes (default ./themes).", valueName: "path"))
    var themesDirectory: String?

    @Option(help: ArgumentHelp("Console theme: a name in the themes folder or a path (default BULWARK_THEME, else default).", valueName: "name"))
    var theme: String?

    func validate() throws {
        for (flag, value) in [("--state-dir", stateDirectory), ("--themes-dir", themesDirectory)] {
            if let value, value.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("\(flag) is empty; give a folder path") }
        }
    }

    func run() async throws {
        guard isatty(0) == 1, isatty(1) == 1 else {
            Terminal.printError("bulwark attach: the console needs a terminal on stdin and stdout; from a script use `bulwark ctl status`")
            throw ExitCode(64)
        }
        let environment = ProcessInfo.processInfo.environment
        let state = Self.absolute(stateDirectory ?? "state")
        let themeName = theme ?? environment["BULWARK_THEME"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let setup = try ConsoleSetup.prepare(
            theme: themeName, themesDirectory: Self.absolute(themesDirectory ?? "themes"), stateDirectory: state, readOnly: readonly,
            attached: true, command: "attach")
        let session = ConsoleSession(setup: setup)
        let result = await session.run(
            broker: .unknown, clock: SystemClock(), connect: ControlConnector.connect(stateDirectory: state, client: "attach", readOnly: readonly),
            stop: {})
        if case .failure(let error) = result {
            Terminal.printError("bulwark attach: \(error.message)")
            throw ExitCode(64)
        }
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
