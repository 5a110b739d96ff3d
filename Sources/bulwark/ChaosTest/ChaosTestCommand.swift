import ArgumentParser
import ChaosRehearsal
import Foundation
import Primitives

/// `bulwark chaos-test`: every chaos mode (or those named) against a fresh embedded exchange in a
/// temporary folder, one after the other; progress as it goes, then the table; exit 1 if any failed.
struct ChaosTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaos-test",
        abstract: "Rehearse every chaos mode against a fresh embedded exchange and check the chaos contract.")

    @Option(
        name: .customLong("mode"),
        help: ArgumentHelp("Only these modes or faults (comma-separated; state_corrupt_after_trades, dashboard_port_taken); default all.", valueName: "modes"))
    var modes: String?

    @Flag(help: "Keep each mode's temporary folder (state and logs) for inspection.")
    var keep = false

    func validate() throws {
        _ = try selected()
    }

    private func selected() throws -> [ChaosCase] {
        guard let modes else { return ChaosCase.all }
        return try modes.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let chosen = ChaosCase(name: trimmed) else {
                throw ValidationError("unknown chaos mode \"\(trimmed)\"; known: \(ChaosCase.all.map(\.name).joined(separator: ", "))")
            }
            return chosen
        }
    }

    func run() async throws {
        let cases = try selected()
        var outcomes: [ChaosOutcome] = []
        for (index, chosen) in cases.enumerated() {
            Terminal.printLine("[\(index + 1)/\(cases.count)] \(chosen.name): starting a fresh core…")
            let (outcome, kept) = await ChaosScenario.rehearse(chosen, keep: keep)
            Terminal.printLine("[\(index + 1)/\(cases.count)] \(chosen.name): \(outcome.passed ? "PASS" : "FAIL")" + (kept.map { " (folder kept: \($0))" } ?? ""))
            outcomes.append(outcome)
        }
        Terminal.printLine("")
        Terminal.printLine(Self.table(outcomes))
        if outcomes.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }

    static func table(_ outcomes: [ChaosOutcome]) -> String {
        var lines = [row(["mode", "expected", "observed", "detect", "recover", "result"])]
        lines.append(String(repeating: "-", count: 150))
        for outcome in outcomes {
            let observed = outcome.passed ? outcome.observed.joined(separator: "; ") : "MISSING: " + outcome.failures.joined(separator: "; ")
            lines.append(row([
                outcome.name, outcome.expected, observed, ChaosScenario.format(outcome.timeToDetect),
                ChaosScenario.format(outcome.timeToRecover), outcome.passed ? "PASS" : "FAIL",
            ]))
        }
        let passed = outcomes.filter(\.passed).count
        lines.append("\(passed)/\(outcomes.count) modes passed")
        return lines.joined(separator: "\n")
    }

    private static func row(_ cells: [String]) -> String {
        cells.joined(separator: " | ")
    }
}
