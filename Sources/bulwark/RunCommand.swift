import ArgumentParser
import Console
import Foundation
import Logging
import ServiceLifecycle
import TradingCore
import UnixSignals

/// `bulwark run` (and `bulwark` alone): the whole service with the ncurses console, the supervisor
/// in-process. `--headless` runs it without the console, logging JSON lines to stderr and
/// `logs/bulwark.log`, for systemd or a container. Either way SIGTERM, SIGINT and SIGHUP stop it
/// gracefully (the order in flight followed to an answer or left pending in the journal, the state
/// saved) and it exits 0.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run Bulwark with its console (or --headless): the trading engine and the flow feed, on the embedded paper exchange when no keys are set.")

    @OptionGroup var options: ConfigurationOptions

    @Flag(help: "Run without the console, logging to stderr.")
    var headless = false

    @Flag(help: "Console for watching only: every command that changes trading is refused.")
    var readonly = false

    @Option(help: ArgumentHelp("Console theme: a name in the themes folder or a path (default BULWARK_THEME, else default).", valueName: "name"))
    var theme: String?

    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        let loaded = try options.loadOrExit()
        let configuration = loaded.configuration
        var console: ConsoleSetup?
        if !headless {
            // Checked before anything starts: without a terminal there is nothing to draw on.
            guard isatty(0) == 1, isatty(1) == 1 else {
                Terminal.printError("bulwark run: the console needs a terminal on stdin and stdout; use `bulwark run --headless` to run without it")
                throw ExitCode(64)
            }
            console = try ConsoleSetup.prepare(theme: theme ?? configuration.theme, configuration: configuration, readOnly: readonly)
        }
        let clock = SystemClock()
        let bus = EventBus(clock: clock)
        // Subscribed before anything runs, so the console sees the start-up from its first event.
        let events = console == nil ? nil : bus.subscribe(name: "console", bufferSize: 4096)
        let file: LogFile
        do {
            file = try LogFile(path: configuration.paths.logsDirectory + "/bulwark.log")
        } catch {
            Terminal.printError("bulwark run: \(error)")
            throw ExitCode(1)
        }
        let redactor = Redactor(secrets: configuration.secrets)
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let toStandardError = headless
        let log: @Sendable (String) -> Logger = { label in
            var logger = Logger(label: label) { label in
                // While the console runs nothing may be written to the terminal: the file and the bus only.
                var handlers: [any LogHandler] = [JSONLogHandler(label: label, file: file, clock: clock, redactor: redactor, bus: bus)]
                if toStandardError { handlers.append(JSONLogHandler(label: label, file: .standardError, clock: clock, redactor: redactor)) }
                return MultiplexLogHandler(handlers)
            }
            logger.logLevel = level
            return logger
        }
        let logger = log("bulwark")
        for warning in loaded.warnings { logger.warning("configuration: \(warning)") }
        for warning in console?.warnings ?? [] { logger.warning("theme: \(warning)") }

        let runtime: Runtime
        do {
            runtime = try await Runtime.build(configuration: configuration, bus: bus, log: log, clock: clock)
        } catch {
            logger.critical("cannot start: \(error)")
            Terminal.printError("bulwark run: cannot start: \(error)")
            throw ExitCode(1)
        }
        logger.notice(
            "bulwark running \(headless ? "headless" : "with the console")",
            metadata: ["broker": "\(configuration.broker.label)", "version": "\(Bulwark.version)"])

        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: runtime.metrics), .init(service: runtime.host), EarlyStop.configuration],
            gracefulShutdownSignals: [.sigterm, .sigint, .sighup],
            logger: log("lifecycle")))
        let running = Task { try await group.run() }
        var consoleFailure: String?
        if let console, let events {
            consoleFailure = await console.run(runtime: runtime, group: group, events: events, clock: clock, until: running)
        }
        let outcome = await running.result
        await runtime.close()
        if let consoleFailure {
            Terminal.printError("bulwark run: \(consoleFailure)")
            throw ExitCode(64)
        }
        if case .failure(let error) = outcome {
            logger.critical("stopped on an error", metadata: ["error": "\(error)"])
            Terminal.printError("bulwark run: stopped: \(error)")
            throw ExitCode(1)
        }
        logger.notice("bulwark stopped")
    }
}
