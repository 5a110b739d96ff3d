import ArgumentParser

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
            ControlCommandLine.self,
        ],
        defaultSubcommand: RunCommand.self
    )
}
