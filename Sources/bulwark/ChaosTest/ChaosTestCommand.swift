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

    @Option(name: .customLong("mode"), help: ArgumentHelp("Only these modes (comma-separated); default all.", valueName: "modes"))
    var modes: String?

    @Flag(help: "Keep each mode's temporary folder (state and logs) for inspection.")
    var keep = false

    func validate() throws {
        _ = try selected()
    }

    private func selected() throws -> [ChaosMode] {
        guard let modes else { return ChaosMode.allCases }
        return try modes.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let mode = ChaosMode(rawValue: trimmed) else {
                throw ValidationError("unknown chaos mode \"\(trimmed)\"; known: \(ChaosMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return mode
        }
    }

    func run() async throws {
        let modes = try selected()
        var outcomes: [ChaosOutcome] = []
        for (index, mode) in modes.enumerated() {
            Terminal.printLine("[\(index + 1)/\(modes.count)] \(mode.rawValue): starting a fresh core…")
            let rig: ChaosRig
            do {
                rig = try await ChaosRig.start(mode: mode)
            } catch {
                var outcome = ChaosOutcome(mode: mode, expected: ChaosScenario.expectations[mode] ?? "")
                outcome.failures.append("could not start: \(error.operatorText)")
                outcomes.append(outcome)
                continue
            }
            let outcome = await ChaosScenario.run(mode, on: rig)
            await rig.stop(keepFolder: keep || !outcome.passed)
            let kept = keep || !outcome.passed
            Terminal.printLine("[\(index + 1)/\(modes.count)] \(mode.rawValue): \(outcome.passed ? "PASS" : "FAIL")" + (kept ? " (folder kept: \(rig.folder))" : ""))
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
                outcome.mode.rawValue, outcome.expected, observed, ChaosScenario.format(outcome.timeToDetect),
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
