import ArgumentParser
import Foundation
import Logging
import PaperExchange
import Primitives
import ServiceLifecycle
import Settings
import UnixSignals

/// `bulwark exchange`: the paper exchange on its own, for curl, an Alpaca SDK or a second Bulwark.
struct ExchangeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange",
        abstract: "Run the paper exchange (Alpaca- and Unusual Whales-compatible) on 127.0.0.1.",
        discussion: """
            Serves Alpaca's trading and market-data routes (keys in APCA-API-KEY-ID / APCA-API-SECRET-KEY) and \
            Unusual Whales' flow alerts (Authorization: Bearer TOKEN) from one port, and prints the URL once it \
            listens. The book is kept in STATE-DIR/paper_exchange.json across restarts. SIGINT or SIGTERM stops it.
            Credentials may come from APCA_API_KEY_ID, APCA_API_SECRET_KEY and UW_API_TOKEN instead of flags \
            (flags are visible to other users in the process list); they are never printed.
            """)

    @Option(help: ArgumentHelp("Port on 127.0.0.1; 0 picks a free one.", valueName: "n"))
    var port = 0

    @Option(help: ArgumentHelp("Seed of the market and the flow (a new book only).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(name: .customLong("key-id"), help: ArgumentHelp("Alpaca key id clients must send (or APCA_API_KEY_ID).", valueName: "id"))
    var keyID: String?

    @Option(name: .customLong("secret-key"), help: ArgumentHelp("Alpaca secret key clients must send (or APCA_API_SECRET_KEY).", valueName: "key"))
    var secretKey: String?

    @Option(name: .customLong("uw-token"), help: ArgumentHelp("Unusual Whales bearer token (or UW_API_TOKEN; default: the secret key).", valueName: "token"))
    var uwToken: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Folder of paper_exchange.json (created 0700).", valueName: "path"))
    var stateDirectory = "state"

    @Option(help: ArgumentHelp("Comma-separated tickers to quote (a new book only).", valueName: "list"))
    var symbols = Listing.defaultSymbols.map(\.rawValue).joined(separator: ",")

    @Option(name: .customLong("quote-interval-ms"), help: ArgumentHelp("Milliseconds between price moves (a new book only).", valueName: "ms"))
    var quoteIntervalMilliseconds = 500

    @Option(name: .customLong("alert-interval-seconds"), help: ArgumentHelp("Mean seconds between flow alerts.", valueName: "s"))
    var alertIntervalSeconds = 10

    @Option(name: .customLong("rate-limit"), help: ArgumentHelp("Requests a minute per key.", valueName: "n"))
    var rateLimit = 200

    @Option(help: ArgumentHelp("When orders match: nyse (NYSE's regular session, 09:30–16:00 New York, holidays and early closes; market orders sent while closed wait for the open, day orders expire at the close) or always.", valueName: "nyse|always"))
    var session: String = TradingSession.nyse.rawValue

    @Flag(name: .customLong("fault-controls"), help: "Accept POST /__faults to make responses fail on purpose (tests only).")
    var faultControls = false

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        guard (1...3_600_000).contains(quoteIntervalMilliseconds) else { throw ValidationError("--quote-interval-ms must be 1–3600000") }
        guard (1...86_400).contains(alertIntervalSeconds) else { throw ValidationError("--alert-interval-seconds must be 1–86400") }
        guard TradingSession(rawValue: session) != nil else { throw ValidationError("--session must be nyse or always") }
        guard (1...1_000_000).contains(rateLimit) else { throw ValidationError("--rate-limit must be 1–1000000") }
        guard !parsedSymbols.isEmpty, parsedSymbols.count == symbols.split(separator: ",").count else {
            throw ValidationError("--symbols must be comma-separated tickers (A–Z, 0–9, one . or /)")
        }
    }

    private var parsedSymbols: [Symbol] {
        symbols.split(separator: ",").compactMap { Symbol($0.trimmingCharacters(in: .whitespaces).uppercased()) }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        func credential(_ flag: String?, _ variable: String) -> Secret? {
            let value = flag ?? environment[variable] ?? ""
            return value.isEmpty ? nil : Secret(value)
        }
        guard let keyID = credential(keyID, "APCA_API_KEY_ID"), let secretKey = credential(secretKey, "APCA_API_SECRET_KEY") else {
            Terminal.printError("bulwark exchange: a key id and a secret key are required (--key-id and --secret-key, or APCA_API_KEY_ID and APCA_API_SECRET_KEY)")
            throw ExitCode(64)
        }
        var logger = Logger(label: "paper-exchange") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .notice
        let options = ExchangeServer.Options(
            port: port, keyID: keyID, secretKey: secretKey, flowToken: credential(uwToken, "UW_API_TOKEN"),
            book: ExchangeBook.Configuration(
                seed: seed, symbols: parsedSymbols, quoteInterval: .milliseconds(quoteIntervalMilliseconds),
                flowAlertInterval: .seconds(alertIntervalSeconds), session: TradingSession(rawValue: session) ?? .nyse),
            stateDirectory: stateDirectory, rateLimitPerMinute: rateLimit, faultControls: faultControls)
        DescriptorLimit.raiseSoftToHard()
        // One writer per book: the same lock `bulwark run` takes, so neither a second exchange nor a running
        // instance's embedded exchange can write paper_exchange.json beside this one.
        let lock: DirectoryLock
        do {
            lock = try DirectoryLock.acquire(stateDirectory)
        } catch {
            Terminal.printError("bulwark exchange: \(error.operatorText)")
            throw ExitCode.failure
        }
        defer { withExtendedLifetime(lock) {} }
        let server: ExchangeServer
        do {
            server = try ExchangeServer(options: options, clock: SystemClock(), logger: logger)
        } catch {
            Terminal.printError("bulwark exchange: \(error.operatorText)")
            throw ExitCode.failure
        }
        let services = ServiceGroup(
            configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            do {
                let port = try await server.boundPort()
                let book = server.snapshot()
                Terminal.printLine(
                    "paper exchange listening on http://127.0.0.1:\(port) (seed \(book.seed), \(book.market.symbols.count) symbols, "
                        + "book \(stateDirectory)/\(BookFile.fileName), session \(session), fault controls \(faultControls ? "on" : "off"))")
                try await group.waitForAll()
            } catch {
                group.cancelAll()
                Terminal.printError("bulwark exchange: \(error.operatorText)")
                throw ExitCode.failure
            }
        }
        Terminal.printLine("paper exchange stopped")
    }
}

extension Terminal {
    /// Prints a line to stdout at once, even when stdout is a pipe.
    static func printLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
