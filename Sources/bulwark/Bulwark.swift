import ArgumentParser
import Foundation

@main
struct Bulwark: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "bulwark",
        abstract: "A self-healing, risk-aware trading service with a terminal control console.",
        discussion: """
            Configuration comes from .env in the working folder (or --env-file), then the environment, then flags.
            With no Alpaca keys Bulwark uses its embedded paper exchange; see the README for every variable.
            """,
        version: version,
        subcommands: [
            RunCommand.self, AttachCommand.self, Doctor.self, ExchangeCommand.self, Bench.self, ChaosTestCommand.self, ThemeCommand.self, ConsoleDemoCommand.self,
            ControlCommandLine.self, RecordCommand.self, ReplayCommand.self, TuneCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )

    /// Stop signals are recorded from the first instruction, before the arguments are even parsed; a
    /// command that runs services honours a recorded one as a graceful stop, any other exits at once.
    static func main() async {
        StopSignals.record()
        do {
            var command = try parseAsRoot(nil)
            if !(command is RunCommand) { StopSignals.exitOnSignal() }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
