import ArgumentParser
import Benchmarks
import Foundation
import Persistence
import Primitives

/// `bulwark bench exits`: a stop loss triggers on one symbol while an entry on another rests (for up to
/// its 30 s follow timeout); prints the time from the trigger to the exit order at the exchange, p50 and p99.
struct BenchExits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exits",
        abstract: "A stop loss while an entry on another symbol rests, on an in-process paper exchange; print trigger-to-exchange p50/p99.",
        discussion: "Goal: p99 under 1.5 s (the loop ticks every second; no exit waits for a resting entry).")

    @Option(help: "Trials (stop losses) to measure.") var trials = 50
    @Option(help: "Folder on the disk for the state and journal (default ./state); a subfolder is used and removed.") var directory = "state"
    @Flag(help: "Print each trial's figure as it is measured.") var verbose = false

    /// The goal for the p99, in seconds.
    static let goal = 1.5

    func validate() throws {
        guard (1...10_000).contains(trials) else { throw ValidationError("--trials must be 1–10000") }
    }

    func run() async throws {
        let folder = directory + "/bench-exits-\(getpid())"
        do {
            try PrivateDirectory.prepare(folder)
        } catch {
            Terminal.printError("bench exits: \(error.operatorText)")
            throw ExitCode.failure
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        print("bench exits: \(trials) stop losses on MSFT, each while an AAPL limit entry rests at an in-process paper exchange")
        let verbose = verbose
        let result: ExitLatencyBenchmark.Result
        do {
            result = try await ExitLatencyBenchmark.run(trials: trials, directory: folder) { trial, latency in
                if verbose { print(String(format: "trial %3d     %.3f s", trial, latency.seconds)) }
            }
        } catch {
            Terminal.printError("bench exits: \(error.operatorText)")
            throw ExitCode.failure
        }
        let (p50, p99) = (result.percentile(0.5).seconds, result.percentile(0.99).seconds)
        print(String(format: "trigger → exit at the exchange   p50 %.3f s   p99 %.3f s   max %.3f s", p50, p99, (result.latencies.max() ?? .zero).seconds))
        print(String(format: "%d trials in %.1f s; goal p99 < %.1f s: ", result.latencies.count, result.elapsed.seconds, Self.goal) + (p99 < Self.goal ? "met" : "NOT met"))
        if p99 >= Self.goal { throw ExitCode.failure }
    }
}
