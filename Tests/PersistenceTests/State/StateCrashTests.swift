import Foundation
import Persistence
import Primitives
import TestSupport
import Testing

/// Kills a real writer process (`state-crash-probe`, built next to the test bundle) with SIGKILL at random
/// moments while it saves in a tight loop, and checks that the file left behind is always one complete
/// state: the old one or the new one, never a mix, never torn.
struct StateCrashTests {
    static let kills = 200

    /// After each of 200 SIGKILLs at random moments, the state file loads as a complete state, never older
    /// than one seen before.
    @Test(.timeLimit(.minutes(5)))
    func killedWriterAlwaysLeavesACompleteState() async throws {
        let probe = try Self.probeExecutable()
        // Blocking process waits and polling: on a thread of its own, not the concurrency pool's.
        try await onDedicatedThread { try Self.killRepeatedly(probe) }
    }

    private static func killRepeatedly(_ probe: URL) throws {
        try withTemporaryDirectory { directory in
            var generator = SeededGenerator(seed: 20_260_105)
            var lastCounter = 0
            var killedMidWrite = 0
            let errors = TemporaryFolder()
            for round in 0..<Self.kills {
                // posix_spawn in a group of its own, ended with the test (TestSupport's one process runner).
                let errorsPath = errors.path + "/probe-\(round).err"
                let process = try SpawnedProcess([probe.path, directory, "20"], stderr: .file(errorsPath))
                let pid = process.pid

                // Wait (with a deadline) until this probe has saved at least once.
                let started = Self.waitUntil(deadline: .seconds(30)) {
                    Self.readState(directory)?.lastFlowAlertID?.hasPrefix("probe-\(pid)-") == true || !process.isRunning
                }
                guard started, process.isRunning else {
                    let message = (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? ""
                    Issue.record("round \(round): the probe did not start saving (running: \(process.isRunning)) \(message)")
                    process.stop()
                    return
                }
                usleep(UInt32.random(in: 0..<4000, using: &generator))
                process.send(SIGKILL)
                let status = process.wait(within: 30)
                #expect(status == 128 + SIGKILL, "round \(round): exit status \(String(describing: status))")
                if FileManager.default.fileExists(atPath: directory + "/.trading_state.json.tmp-\(pid)") { killedMidWrite += 1 }

                guard let state = Self.readState(directory) else {
                    let inspection = StateDoctor.inspect(directory: directory, clock: ManualClock())
                    Issue.record("round \(round): the state file is not a complete state: \(inspection.summary)")
                    return
                }
                let counter = NSDecimalNumber(decimal: state.realizedPnL).intValue
                #expect(state.lastFlowAlertID?.hasSuffix("-\(counter)") == true, "round \(round)")
                #expect(state.positions[StateSamples.aapl]?.quantity == Decimal(counter), "round \(round)")
                for index in 0..<20 {
                    #expect(state.positions[Symbol("P\(index)")!]?.quantity == Decimal(counter + index), "round \(round)")
                }
                #expect(counter >= lastCounter, "round \(round) went back from \(lastCounter) to \(counter)")
                lastCounter = counter
            }
            #expect(lastCounter >= Self.kills)
            // The kills must land inside writes too (a temporary file left behind), or the test proves little.
            #expect(killedMidWrite > Self.kills / 10, "\(killedMidWrite) of \(Self.kills) kills landed mid-write")
        }
    }

    private static func readState(_ directory: String) -> PersistentState? {
        StateSamples.decodedState(in: directory)
    }

    /// Polls `condition` every millisecond until it holds or the deadline passes.
    private static func waitUntil(deadline: Duration, _ condition: () -> Bool) -> Bool {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: deadline)
        while clock.now < end {
            if condition() { return true }
            usleep(1000)
        }
        return condition()
    }

    struct ProbeNotFound: Error, CustomStringConvertible {
        var searched: [String]
        var description: String { "state-crash-probe not found; build it with `swift build` (searched \(searched))" }
    }

    /// The probe sits in the build products folder, next to the test bundle and its resource bundle.
    static func probeExecutable() throws -> URL {
        let folders = [
            Bundle.module.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        let candidates = folders.map { $0.appendingPathComponent("state-crash-probe") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ProbeNotFound(searched: candidates.map(\.path))
        }
        return found
    }
}
