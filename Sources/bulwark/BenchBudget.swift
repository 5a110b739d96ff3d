import ArgumentParser
import Benchmarks
import Foundation
import Primitives

/// `bulwark bench budget`: REST requests a minute, by route, that a headless Bulwark spends against its
/// embedded exchange, idle and then trading on the default strategy.
struct BenchBudget: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Count REST requests a minute by route, idle and trading, at an in-process paper exchange.",
        discussion: """
            Runs a Bulwark core as `bulwark run --headless` does (production settings, the embedded exchange, a fresh \
            temporary folder), first with no flow alerts (idle), then with one every 3 s (the demo's pace) acted on by the default \
            strategy (trading); counts every request where it arrives. Goals: at most \(Self.goals[.idle]!) a minute \
            idle, at most \(Self.goals[.trading]!) trading (Alpaca allows 200 a minute).
            """)

    @Option(help: ArgumentHelp("Seconds to measure each phase over.", valueName: "n")) var seconds = 60
    @Option(help: ArgumentHelp("Seconds to let each phase settle before measuring (start-up reconciles and reads everything once).", valueName: "n"))
    var warmup = 15
    @Option(help: ArgumentHelp("idle, trading or both.", valueName: "phase")) var phase = "both"

    static let goals: [RequestBudgetBenchmark.Phase: Int] = [.idle: 10, .trading: 40]

    func validate() throws {
        guard (1...3600).contains(seconds) else { throw ValidationError("--seconds must be 1–3600") }
        guard (0...3600).contains(warmup) else { throw ValidationError("--warmup must be 0–3600") }
        guard phase == "both" || RequestBudgetBenchmark.Phase(rawValue: phase) != nil else {
            throw ValidationError("--phase must be idle, trading or both, not \(phase.prefix(20))")
        }
    }

    func run() async throws {
        let phases = RequestBudgetBenchmark.Phase(rawValue: phase).map { [$0] } ?? RequestBudgetBenchmark.Phase.allCases
        var missed = false
        for phase in phases {
            print("bench budget: \(phase.rawValue), \(warmup) s warm-up, \(seconds) s measured")
            let result: RequestBudgetBenchmark.Result
            do {
                result = try await RequestBudgetBenchmark.run(phase: phase, warmup: .seconds(warmup), window: .seconds(seconds))
            } catch {
                Terminal.printError("bench budget: \(error.operatorText)")
                throw ExitCode.failure
            }
            for (route, count) in result.counts.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                print("  " + route.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%6.1f a minute", result.perMinute(count)))
            }
            let goal = Self.goals[phase]!
            let total = result.perMinute(result.total)
            missed = missed || total > Double(goal)
            print(String(format: "  %@ total %.1f a minute (goal at most %d): %@; %d orders at the exchange",
                phase.rawValue, total, goal, total <= Double(goal) ? "met" : "NOT met", result.orders))
        }
        if missed { throw ExitCode.failure }
    }
}
