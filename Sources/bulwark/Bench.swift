import ArgumentParser
import Benchmarks
import Foundation
import Persistence
import Primitives

/// `bulwark bench …`: the benchmarks that hold Bulwark's timing goals. Build with `-c release`
/// (`make bench`) for meaningful figures.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a benchmark and print its figures.",
        subcommands: [
            BenchBus.self, BenchGuard.self, BenchState.self, BenchPipeline.self, BenchConsole.self, BenchControl.self, BenchExhaustion.self, BenchExits.self, BenchBudget.self,
            BenchReplay.self,
        ])
}

struct BenchBus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bus",
        abstract: "Publish events to several subscribers, one stalled; print events/s and peak memory.",
        discussion: "Goal: at least 500,000 events/s, and the same peak memory with 1 M or 10 M events.")

    @Option(help: "Events to publish.") var events = 1_000_000
    @Option(help: "Subscribers, one of which never reads.") var subscribers = 4
    @Option(help: "Buffer size of each subscriber.") var buffer = 1024

    func validate() throws {
        guard events >= 1 else { throw ValidationError("--events must be at least 1") }
        guard (1...64).contains(subscribers) else { throw ValidationError("--subscribers must be 1–64") }
        guard (1...1_000_000).contains(buffer) else { throw ValidationError("--buffer must be 1–1000000") }
    }

    func run() async throws {
        print("bench bus: \(events) events, \(subscribers) subscribers (1 stalled), buffer \(buffer)")
        let result = await BusBenchmark.run(events: events, subscribers: subscribers, bufferSize: buffer)
        print(String(format: "published     %d events in %.3f s", result.events, result.elapsed.seconds))
        print(String(format: "throughput    %.0f events/s (goal >= 500000)", result.eventsPerSecond))
        print("peak memory   \(ResourceUsage.megabytes(result.peakResidentBytes)) resident")
        for subscriber in result.accounted {
            print("  \(subscriber.name.padding(toLength: 10, withPad: " ", startingAt: 0)) received \(subscriber.received), lost \(subscriber.dropped)")
        }
        print(result.isExact ? "accounting    exact: received + lost = published for every subscriber" : "accounting    WRONG: a subscriber's received + lost differs from published")
        if !result.isExact { throw ExitCode.failure }
    }
}

struct BenchGuard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guard",
        abstract: "Time trade-guard evaluations against 50 open positions; print p50 and p99.",
        discussion: "Goal: p99 under 5 µs.")

    @Option(help: "Evaluations to time.") var evaluations = 1_000_000
    @Option(help: "Open positions in the context.") var positions = 50

    func validate() throws {
        guard evaluations >= 100 else { throw ValidationError("--evaluations must be at least 100") }
        guard (1...10_000).contains(positions) else { throw ValidationError("--positions must be 1–10000") }
    }

    func run() async throws {
        print("bench guard: \(evaluations) evaluations against \(positions) open positions")
        let result = GuardBenchmark.run(evaluations: evaluations, positions: positions)
        print("p50           \(result.p50.nanoseconds) ns")
        print("p99           \(result.p99.nanoseconds) ns (goal < 5000)")
        print("max           \(result.max.nanoseconds) ns")
        print("approved      \(result.approved) of \(result.evaluations)")
    }
}

struct BenchState: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Time state saves against a bare write + fsync + rename + folder fsync of the same bytes.",
        discussion: "Goal: the median save at most 1.5 times the bare write. Runs in a subfolder of --directory that it removes.")

    @Option(help: "Saves to time.") var saves = 1000
    @Option(help: "Open positions in the saved state.") var positions = 50
    @Option(help: "Folder on the disk to measure (default ./state).") var directory = "state"

    func validate() throws {
        guard saves >= 10 else { throw ValidationError("--saves must be at least 10") }
        guard (0...10_000).contains(positions) else { throw ValidationError("--positions must be 0–10000") }
    }

    func run() async throws {
        print("bench state: \(saves) saves of a state with \(positions) positions in \(directory)")
        do {
            let result = try StateBenchmark.run(saves: saves, positions: positions, directory: directory)
            print(result)
        } catch {
            Terminal.printError("bench state: \(error.operatorText)")
            throw ExitCode.failure
        }
    }
}

struct BenchPipeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Alerts end to end on an in-process paper exchange, state saved after every fill; print orders/s and the fsync share.")

    @Option(help: "Alerts to carry through (each an entry and an exit).") var alerts = 200
    @Option(help: "Fills to time from the exchange to the saved state, learned from the trading stream (0: none).") var fills = 100
    @Option(help: "Folder on the disk to measure (default ./state); a subfolder is used and removed.") var directory = "state"

    func validate() throws {
        guard (1...100_000).contains(alerts) else { throw ValidationError("--alerts must be 1–100000") }
        guard (0...10_000).contains(fills) else { throw ValidationError("--fills must be 0–10000") }
    }

    func run() async throws {
        let folder = directory + "/bench-pipeline-\(getpid())"
        do {
            try PrivateDirectory.prepare(folder)
        } catch {
            Terminal.printError("bench pipeline: \(error.operatorText)")
            throw ExitCode.failure
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        print("bench pipeline: \(alerts) alerts, each an entry and an exit, over HTTP to an in-process paper exchange")
        let result: PipelineBenchmark.Result
        do {
            result = try await PipelineBenchmark.run(alerts: alerts, directory: folder)
        } catch {
            Terminal.printError("bench pipeline: \(error.operatorText)")
            throw ExitCode.failure
        }
        print(String(format: "orders        %d filled in %.2f s: %.1f orders/s", result.orders, result.elapsed.seconds, result.ordersPerSecond))
        print(String(format: "fsync         %d calls, %.2f s: %.1f%% of the time", result.fsyncCalls, result.fsyncTime.seconds, result.fsyncShare * 100))
        if result.orders < 2 * result.alerts { throw ExitCode.failure }
        guard fills > 0 else { return }
        let latency: FillToStateBenchmark.Result
        do {
            latency = try await FillToStateBenchmark.run(fills: fills, directory: folder + "/fills")
        } catch {
            Terminal.printError("bench pipeline: fill-to-state: \(error.operatorText)")
            throw ExitCode.failure
        }
        let (p50, p99) = (latency.percentile(0.5), latency.percentile(0.99))
        let met = p99 < .milliseconds(50) ? "met" : "NOT met"
        let missed = latency.missed > 0 ? "; \(latency.missed) learned over REST instead" : ""
        print(
            "fill-to-state \(latency.samples.count) fills from the trading stream: p50 \(String(format: "%.1f", p50.seconds * 1000)) ms, "
                + "p99 \(String(format: "%.1f", p99.seconds * 1000)) ms (goal p99 < 50 ms: \(met))\(missed)")
        if latency.samples.isEmpty { throw ExitCode.failure }
    }
}
