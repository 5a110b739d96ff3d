import ArgumentParser
import Foundation
import PaperExchange
import Primitives
import Replay
import Settings

/// `bulwark record --synthetic`: writes a market recording from the paper exchange's seeded market.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Write a market recording (quotes and flow alerts as JSON lines) for `bulwark replay`.",
        discussion: """
            With --synthetic, from the paper exchange's seeded market walk and flow generator: a quote per symbol \
            a second while the market is open (NYSE's regular session by its calendar, or --session always), \
            and the alerts the generator issues. The same seed and settings give the same bytes.
            """)

    @Flag(help: "Record the paper exchange's seeded market (the only source so far).") var synthetic = false
    @Option(help: "The market's seed.") var seed: UInt64 = 1
    @Option(help: "Trading days (NYSE sessions, or whole UTC days with --session always).") var days = 1
    @Option(help: ArgumentHelp("Symbols, comma-separated (default the exchange's eight).", valueName: "list")) var symbols: String?
    @Option(help: ArgumentHelp("nyse or always.", valueName: "session")) var session = "nyse"
    @Option(help: ArgumentHelp("The first day, YYYY-MM-DD (default 2026-01-05).", valueName: "date")) var start: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file (default standard output).", valueName: "path")) var output: String?

    func validate() throws {
        guard synthetic else { throw ValidationError("only --synthetic recordings can be made so far (recording a live run is not built yet)") }
        guard (1...366).contains(days) else { throw ValidationError("--days must be 1 to 366, not \(days)") }
        guard TradingSession(rawValue: session) != nil else { throw ValidationError("--session must be nyse or always, not \"\(session.prefix(20))\"") }
        if let start, MarketCalendar.day(start) == nil { throw ValidationError("--start must be a date YYYY-MM-DD, not \"\(start.prefix(20))\"") }
        _ = try symbolList()
    }

    func symbolList() throws -> [Symbol] {
        guard let symbols else { return Listing.defaultSymbols }
        let list = try symbols.split(separator: ",").map { text throws -> Symbol in
            guard let symbol = Symbol(text.trimmingCharacters(in: .whitespaces).uppercased()) else {
                throw ValidationError("--symbols: \"\(text.prefix(20))\" is not a ticker symbol")
            }
            return symbol
        }
        guard !list.isEmpty else { throw ValidationError("--symbols names no symbol") }
        return list
    }

    func run() async throws {
        let market = SyntheticMarket(
            seed: seed, days: days, symbols: try symbolList(), session: TradingSession(rawValue: session) ?? .nyse,
            startDay: start.flatMap(MarketCalendar.day) ?? SyntheticMarket.defaultStartDay)
        if let output {
            do {
                try market.write(to: output)
            } catch {
                Terminal.printError("bulwark: the recording could not be written: \(error.operatorText)")
                throw ExitCode(73)
            }
            return
        }
        var buffer: [UInt8] = []
        market.generate { line in
            buffer.append(contentsOf: line.utf8)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 20 {
                FileHandle.standardOutput.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        FileHandle.standardOutput.write(Data(buffer))
    }
}

/// `bulwark replay FILE…`: the live strategy, guard, executor and state store over a recording.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay market recordings through the strategy, the trade guard and the order executor; print the result.",
        discussion: """
            The same code as live trading, driven by a simulated clock, with orders matched in process by the paper \
            exchange's book; the state lives in a temporary folder, removed afterwards. The guard limits and the \
            strategy's settings come from the configuration (.env, --env-file, the environment), as for `bulwark run`. \
            The same recording and settings give the same output, byte for byte. --report PATH also writes one \
            self-contained HTML page (no scripts, nothing fetched), written whole or not at all. A progress bar goes \
            to standard error when it is a terminal (or with --progress). Exit 65 for a bad recording \
            (named FILE:LINE), 64 for bad settings, 73 when the report cannot be written.
            """)

    @Argument(help: ArgumentHelp("Recordings, replayed in this order as one timeline.", valueName: "file")) var files: [String] = []
    @Option(name: .customLong("env-file"), help: ArgumentHelp("Read variables from this file instead of ./.env.", valueName: "path"))
    var envFile: String?
    @Option(name: .customLong("starting-cash"), help: ArgumentHelp("The paper account's cash at the start.", valueName: "dollars"))
    var startingCash = 100_000
    @Option(help: ArgumentHelp("Also write the result as one self-contained HTML page (charts, trades, rejections) here.", valueName: "path"))
    var report: String?
    @Flag(help: "Show a progress bar on standard error even when it is not a terminal.") var progress = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one recording (bulwark record --synthetic writes one)") }
        guard startingCash > 0 else { throw ValidationError("--starting-cash must be more than 0") }
    }

    func run() async throws {
        let loaded: BulwarkConfiguration.Loaded
        do {
            loaded = try BulwarkConfiguration.load(
                ConfigurationInputs(
                    environment: ProcessInfo.processInfo.environment, workingDirectory: FileManager.default.currentDirectoryPath, envFile: envFile))
        } catch {
            Terminal.printError("bulwark: the configuration has \(error.problems.count) problem\(error.problems.count == 1 ? "" : "s"):")
            for problem in error.problems { Terminal.printError("  \(problem)") }
            throw ExitCode(64)
        }
        if let report {
            do {
                try ReportFile.check(report)
            } catch {
                Terminal.printError("bulwark: \(error.operatorText)")
                throw ExitCode(ReportFileError.exitCode)
            }
        }
        let recording = try ReplayCommand.read(files)
        let settings = ReplaySettings(configuration: loaded.configuration, startingCash: Decimal(startingCash))
        let folder = try ReplayFolder()
        defer { folder.remove() }
        let result: ReplayResult
        let bar = ProgressBar.wanted(forced: progress) ? ProgressBar(label: "replay") : nil
        do {
            var tell: (@Sendable (Int, Int) -> Void)?
            if let bar { tell = { done, total in bar.update(done: done, total: total) } }
            result = try await ReplaySession(settings: settings).run(recording, directory: folder.path, progress: tell)
            bar?.finish()
        } catch {
            bar?.finish()
            Terminal.printError("bulwark: the replay could not run: \(error.operatorText)")
            throw ExitCode(70)
        }
        FileHandle.standardOutput.write(Data(ReplayReport.text(result, files: files).utf8))
        if let report {
            do {
                try ReportFile.write(ReplayHTML.page(result, files: files), to: report)
            } catch {
                Terminal.printError("bulwark: \(error.operatorText)")
                throw ExitCode(ReportFileError.exitCode)
            }
        }
    }
}

extension ReplayCommand {
    /// The recordings in `files`, read whole; a bad one is named with its file and line, and the command
    /// exits 65 (data).
    static func read(_ files: [String]) throws -> RecordingReader.Recording {
        do {
            return try RecordingReader().read(files: files)
        } catch {
            Terminal.printError("bulwark: \(error.operatorText)")
            throw ExitCode(RecordingError.exitCode)
        }
    }
}
