import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TradingCore
import UnixSignals

/// `bulwark run`: the whole service. `--headless` runs it without the console, logging JSON lines to
/// stderr and `logs/bulwark.log`, for systemd or a container; SIGTERM and SIGINT stop it gracefully (the
/// order in flight followed to an answer or left pending in the journal, the state saved) and it exits 0.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run Bulwark: the trading engine and the flow feed, on the embedded paper exchange when no keys are set.")

    @OptionGroup var options: ConfigurationOptions

    @Flag(help: "Run without the console, logging to stderr.")
    var headless = false

    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        guard headless else {
            Terminal.printError("bulwark run: the console is not built yet; use `bulwark run --headless`")
            throw ExitCode(64)
        }
        let loaded = try options.loadOrExit()
        let configuration = loaded.configuration
        let clock = SystemClock()
        let bus = EventBus(clock: clock)
        let file: LogFile
        do {
            file = try LogFile(path: configuration.paths.logsDirectory + "/bulwark.log")
        } catch {
            Terminal.printError("bulwark run: \(error)")
            throw ExitCode(1)
        }
        let redactor = Redactor(secrets: configuration.secrets)
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let log: @Sendable (String) -> Logger = { label in
            var logger = Logger(label: label) { label in
                MultiplexLogHandler([
                    JSONLogHandler(label: label, file: file, clock: clock, redactor: redactor, bus: bus),
                    JSONLogHandler(label: label, file: .standardError, clock: clock, redactor: redactor),
                ])
            }
            logger.logLevel = level
            return logger
        }
        let logger = log("bulwark")
        for warning in loaded.warnings { logger.warning("configuration: \(warning)") }

        let runtime: Runtime
        do {
            runtime = try await Runtime.build(configuration: configuration, bus: bus, log: log, clock: clock)
        } catch {
            logger.critical("cannot start: \(error)")
            Terminal.printError("bulwark run: cannot start: \(error)")
            throw ExitCode(1)
        }
        logger.notice("bulwark running headless", metadata: ["broker": "\(configuration.broker.label)", "version": "\(Bulwark.version)"])

        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: runtime.metrics), .init(service: runtime.host)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: log("lifecycle")))
        do {
            try await group.run()
        } catch {
            logger.critical("stopped on an error", metadata: ["error": "\(error)"])
            Terminal.printError("bulwark run: stopped: \(error)")
            await runtime.close()
            throw ExitCode(1)
        }
        logger.notice("bulwark stopped")
        await runtime.close()
    }
}
