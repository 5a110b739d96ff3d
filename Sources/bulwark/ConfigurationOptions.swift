import ArgumentParser
import Foundation
import Settings

/// The flags every command that reads the configuration shares.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .customLong("env-file"), help: ArgumentHelp("Read variables from this file instead of ./.env.", valueName: "path"))
    var envFile: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Folder for trading state and health (default ./state).", valueName: "path"))
    var stateDirectory: String?

    @Option(name: .customLong("logs-dir"), help: ArgumentHelp("Folder for the log and the order journal (default ./logs).", valueName: "path"))
    var logsDirectory: String?

    @Option(name: .customLong("themes-dir"), help: ArgumentHelp("Folder of console themes (default ./themes).", valueName: "path"))
    var themesDirectory: String?

    @Option(name: .customLong("dashboard-port"), help: ArgumentHelp("Overrides DASHBOARD_PORT.", valueName: "port"))
    var dashboardPort: String?

    @Flag(name: .customLong("live"), help: "Allow a live Alpaca endpoint: trade real money.")
    var live = false

    func inputs(environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfigurationInputs {
        var overrides: [String: String] = [:]
        if let dashboardPort { overrides["DASHBOARD_PORT"] = dashboardPort }
        return ConfigurationInputs(
            environment: environment, workingDirectory: FileManager.default.currentDirectoryPath,
            envFile: envFile, stateDirectory: stateDirectory, logsDirectory: logsDirectory,
            themesDirectory: themesDirectory, live: live, overrides: overrides)
    }

    /// Loads the configuration, or prints every problem to stderr and exits 64 (EX_USAGE).
    func loadOrExit() throws -> BulwarkConfiguration.Loaded {
        do {
            return try BulwarkConfiguration.load(inputs())
        } catch {
            Terminal.printError("bulwark: the configuration has \(error.problems.count) problem\(error.problems.count == 1 ? "" : "s"):")
            for problem in error.problems { Terminal.printError("  \(problem)") }
            throw ExitCode(64)
        }
    }
}

enum Terminal {
    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
