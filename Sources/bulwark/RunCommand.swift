import ArgumentParser
import Assembly
import Console
import ControlPlane
import Foundation
import Logging
import Persistence
import Primitives
import ServiceLifecycle
import Settings
import TradingModel
import UnixSignals

/// `bulwark run` (and `bulwark` alone): the whole service with the ncurses console, the supervisor
/// in-process. `--headless` runs it without the console, logging JSON lines to stderr and
/// `logs/bulwark.log`, for systemd or a container. Either way SIGTERM and SIGINT stop it gracefully (the
/// order in flight followed to an answer or left pending in the journal, the state saved) and it exits 0.
/// SIGHUP stops a headless run the same way; with the console it follows `BULWARK_ON_HANGUP`: detach
/// (the terminal is released and Bulwark keeps trading headless, `bulwark attach` shows it again), halt
/// then detach, or stop.
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
            console = try ConsoleSetup.prepare(
                theme: theme ?? configuration.theme, themesDirectory: configuration.paths.themesDirectory,
                stateDirectory: configuration.paths.stateDirectory, readOnly: readonly, attached: false, command: "run")
        }
        let clock = SystemClock()
        let bus = EventBus(clock: clock)
        let broker = BrokerLabel(configuration.broker).rawValue
        // Subscribed before anything runs: the control socket's snapshots see everything from the start.
        let board = ControlSocket.board(bus: bus, clock: clock, configuration: configuration, broker: broker)
        let file: LogFile
        do {
            file = try LogFile(path: configuration.paths.logsDirectory + "/bulwark.log")
        } catch {
            Terminal.printError("bulwark run: \(error.operatorText)")
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
            logger.critical("cannot start: \(error.operatorText)")
            Terminal.printError("bulwark run: cannot start: \(error.operatorText)")
            throw ExitCode(1)
        }
        let control: ControlServer
        do {
            control = try ControlSocket.server(board: board, runtime: runtime, broker: broker, logger: log("control"))
        } catch {
            logger.critical("cannot start: \(error.message)")
            Terminal.printError("bulwark run: cannot start: \(error.message)")
            await runtime.close()
            throw ExitCode(1)
        }
        logger.notice(
            "bulwark running \(headless ? "headless" : "with the console")",
            metadata: ["broker": "\(configuration.broker.label)", "version": "\(Bulwark.version)"])

        // With the console, SIGHUP is the terminal hanging up, handled by `BULWARK_ON_HANGUP` in the console.
        let consoleService = console.map { setup in
            ConsoleService(
                setup: setup, broker: BrokerLabel(configuration.broker), clock: clock,
                // The same client path as `bulwark attach`: this process's own control socket.
                connect: ControlConnector.connect(stateDirectory: configuration.paths.stateDirectory, client: "console", readOnly: readonly),
                policy: configuration.onHangup, host: runtime.host, logger: logger)
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            // Stopped in reverse order: a stop signal that came before the start first, then the core, the
            // control socket and its board, the console (on screen until then), and the embedded exchange
            // (if any) last.
            services: runtime.groundServices
                + (consoleService.map { [.init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)] } ?? [])
                + [
                    .init(service: board), .init(service: control), .init(service: runtime.metrics), .init(service: runtime.vitals), .init(service: runtime.host),
                    EarlyStop.configuration,
                ],
            gracefulShutdownSignals: console == nil ? [.sigterm, .sigint, .sighup] : [.sigterm, .sigint],
            logger: log("lifecycle")))
        consoleService?.belongs(to: group)
        let outcome: Result<Void, any Error>
        do {
            try await group.run()
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        await runtime.close()
        if let failure = consoleService?.terminalFailure {
            Terminal.printError("bulwark run: \(failure.message)")
            throw ExitCode(64)
        }
        if case .failure(let error) = outcome {
            logger.critical("stopped on an error", metadata: ["error": "\(error.operatorText)"])
            Terminal.printError("bulwark run: stopped: \(error.operatorText)")
            throw ExitCode(1)
        }
        logger.notice("bulwark stopped")
    }
}

/// Letting go of a terminal that may be gone: standard input, output and error point at /dev/null from
/// now on, so nothing can block on (or write to) a hung-up terminal.
enum TerminalRelease {
    static func detach() {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard null >= 0 else { return }
        for descriptor: Int32 in [0, 1, 2] { _ = dup2(null, descriptor) }
        close(null)
    }
}
