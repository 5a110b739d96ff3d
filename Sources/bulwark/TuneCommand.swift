import ArgumentParser
import Foundation
import PaperExchange
import Primitives
import Replay
import Settings

/// `bulwark tune FILE… --vary NAME=FROM:TO:STEP …`: one replay per combination of settings, in parallel.
struct TuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Replay recordings once per combination of settings; print PnL, drawdown, trades and rejections for each.",
        discussion: """
            Each --vary NAME=FROM:TO:STEP takes a guard limit or strategy setting through FROM, FROM+STEP, … TO; every \
            combination is replayed (in parallel across cores) with the rest of the configuration as `bulwark replay` \
            reads it. A * marks the settings no other beats on both PnL and drawdown. For each guard limit varied, a \
            sentence says what the recording shows: each value replayed alone against the configured run, the entries it \
            would have rejected or let through and how they ended. It suggests; it never changes the configuration. Exit 65 for a bad recording, 64 for a bad --vary or setting.
            """)

    @Argument(help: ArgumentHelp("Recordings, replayed in this order as one timeline.", valueName: "file")) var files: [String] = []
    @Option(name: .customLong("vary"), help: ArgumentHelp("A setting and its range, NAME=FROM:TO:STEP (repeatable).", valueName: "spec"))
    var vary: [String] = []
    @Option(name: .customLong("env-file"), help: ArgumentHelp("Read variables from this file instead of ./.env.", valueName: "path"))
    var envFile: String?
    @Flag(help: "Show a progress bar on standard error even when it is not a terminal.") var progress = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one recording (bulwark record --synthetic writes one)") }
        guard !vary.isEmpty else { throw ValidationError("give at least one --vary NAME=FROM:TO:STEP") }
    }

    func run() async throws {
        let combinations: [[String: String]]
        let ranges: [VaryRange]
        do {
            ranges = try vary.map { spec throws(TuneError) in try VaryRange(parsing: spec) }
            combinations = try VaryRange.combinations(ranges)
        } catch {
            Terminal.printError("bulwark: \(error.operatorText)")
            throw ExitCode(TuneError.exitCode)
        }
        // The combinations, the baseline (everything as configured) and each guard limit's values alone:
        // the sentences per limit compare the last with the baseline. Equal settings are replayed once.
        let baselineOverrides: [String: String] = [:]
        let singles = ranges.filter { TuneAdvice.isGuardLimit($0.name) }.flatMap { range in
            range.values.map { [range.name: RecordingFormat.plain($0)] }
        }
        let wanted = combinations + (singles.isEmpty ? [] : [baselineOverrides] + singles)
        var settingsOf: [[String: String]: ReplaySettings] = [:]
        var indexOf: [ReplaySettings: Int] = [:]
        var unique: [ReplaySettings] = []
        for overrides in wanted where settingsOf[overrides] == nil {
            let settings = try load(overrides)
            settingsOf[overrides] = settings
            if indexOf[settings] == nil {
                indexOf[settings] = unique.count
                unique.append(settings)
            }
        }
        let recording = try ReplayCommand.read(files)
        let results: [ReplayResult]
        let bar = ProgressBar.wanted(forced: progress) ? ProgressBar(label: "tune") : nil
        let total = unique.count
        do {
            results = try await Self.replayAll(recording, settings: unique, parallel: max(1, ProcessInfo.processInfo.activeProcessorCount)) { done in
                bar?.update(done: done, total: total)
            }
            bar?.finish()
        } catch {
            bar?.finish()
            Terminal.printError("bulwark: a replay could not run: \(error.operatorText)")
            throw ExitCode(70)
        }
        func result(_ overrides: [String: String]) -> ReplayResult {
            guard let settings = settingsOf[overrides], let index = indexOf[settings] else { return ReplayResult() }
            return results[index]
        }
        let rows = combinations.map { TuneTable.Row(settings: $0, result: result($0)) }
        print("Tune over \(files.joined(separator: ", ")): \(recording.quoteCount) quotes, \(recording.alertCount) flow alerts, \(rows.count) settings")
        print("")
        print(TuneTable.text(rows, names: ranges.map(\.name)), terminator: "")
        let limits = ranges.filter { TuneAdvice.isGuardLimit($0.name) }
        guard !limits.isEmpty, let baseline = settingsOf[baselineOverrides] else { return }
        print("")
        print("What the recording says about each guard limit (each value alone, the rest as configured, against the configured run):")
        for range in limits {
            guard let configured = TuneAdvice.configured(range.name, in: baseline.limits) else { continue }
            let runs = range.values.map { value in TuneAdvice.Run(value: value, result: result([range.name: RecordingFormat.plain(value)])) }
            print("  " + TuneAdvice.sentence(name: range.name, configured: configured, baseline: result(baselineOverrides), runs: runs))
        }
    }

    /// The settings with `overrides` over the configuration; a bad one exits 64 naming the problems.
    func load(_ overrides: [String: String]) throws -> ReplaySettings {
        do {
            let loaded = try BulwarkConfiguration.load(
                ConfigurationInputs(
                    environment: ProcessInfo.processInfo.environment, workingDirectory: FileManager.default.currentDirectoryPath,
                    envFile: envFile, overrides: overrides))
            return ReplaySettings(configuration: loaded.configuration)
        } catch {
            let shown = overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            Terminal.printError(
                "bulwark: \(shown.isEmpty ? "" : "with \(shown) ")the configuration has \(error.problems.count) problem\(error.problems.count == 1 ? "" : "s"):")
            for problem in error.problems { Terminal.printError("  \(problem)") }
            throw ExitCode(64)
        }
    }

    /// Replays `recording` once per settings, at most `parallel` at a time, each in its own temporary folder;
    /// the results in the order of `settings`.
    static func replayAll(
        _ recording: RecordingReader.Recording, settings: [ReplaySettings], parallel: Int, done: (Int) -> Void = { _ in }
    ) async throws -> [ReplayResult] {
        try await withThrowingTaskGroup(of: (Int, ReplayResult).self) { group in
            var results = [ReplayResult?](repeating: nil, count: settings.count)
            var next = 0
            func start(_ index: Int) {
                group.addTask {
                    let folder = try ReplayFolder()
                    defer { folder.remove() }
                    return (index, try await ReplaySession(settings: settings[index]).run(recording, directory: folder.path))
                }
            }
            while next < min(parallel, settings.count) {
                start(next)
                next += 1
            }
            var finished = 0
            while let (index, result) = try await group.next() {
                results[index] = result
                finished += 1
                done(finished)
                if next < settings.count {
                    start(next)
                    next += 1
                }
            }
            return results.map { $0 ?? ReplayResult() }
        }
    }
}

/// `bulwark bench replay`: one synthetic NYSE day of eight symbols, a quote a second each, replayed end to end.
struct BenchReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Record one synthetic NYSE day (8 symbols, a quote a second) and time reading and replaying it.",
        discussion: "About 187,000 quotes and the day's alerts. Goal: read and replay under 5 s on one core (a release build).")

    @Option(help: "The market's seed.") var seed: UInt64 = 1

    func run() async throws {
        let folder = try ReplayFolder()
        defer { folder.remove() }
        let path = folder.path + "/day.jsonl"
        let market = SyntheticMarket(seed: seed, days: 1)
        let clock = ContinuousClock()
        let recorded = try clock.measure { try market.write(to: path) }
        var recording: RecordingReader.Recording?
        let read = try clock.measure { recording = try RecordingReader().read(files: [path]) }
        guard let recording else { return }
        var result = ReplayResult()
        // The documented defaults: no .env in the temporary folder, no environment.
        let settings = ReplaySettings(
            configuration: try BulwarkConfiguration.load(ConfigurationInputs(environment: [:], workingDirectory: folder.path)).configuration)
        let replayed = try await clock.measure { result = try await ReplaySession(settings: settings).run(recording, directory: folder.path + "/run") }
        print("bench replay: seed \(seed), 1 NYSE day, \(market.symbols.count) symbols, \(recording.quoteCount) quotes, \(recording.alertCount) alerts")
        print(String(format: "record        %.3f s (not counted)", recorded.seconds))
        print(String(format: "read          %.3f s", read.seconds))
        print(String(format: "replay        %.3f s (%d orders, %d trades, %d guard rejections)", replayed.seconds, result.ordersSent, result.trades.count, result.rejectionCount))
        let total = (read + replayed).seconds
        print(String(format: "read+replay   %.3f s, %.0f quotes/s (goal under 5 s)", total, Double(recording.quoteCount) / max(total, 1e-9)))
    }
}
