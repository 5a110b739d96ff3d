import ArgumentParser
import ChaosRehearsal
import ControlPlane
import Foundation
import Logging
import Persistence
import Primitives
import Settings
import Supervision
import TradingModel
import Assembly

/// `bulwark bench control`: the control socket's command round trip, and how long a halt takes — from
/// sending it to HALTED written durably (its result comes only after the write) — while the `latency`
/// chaos mode is on and a resume is re-checking a FAILED_CONFIG hold. A real core on the embedded exchange
/// in a temporary folder, as `chaos-test` runs it.
struct BenchControl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "control",
        abstract: "Time commands over the control socket and halts during a slow resume; print p50 and p99.",
        discussion: "Goals: round trip p99 under 10 ms; halt p99 under 50 ms. The halt trials take about 2 s each (the latency mode's delay).")

    @Option(help: "Round trips to time.") var roundTrips = 1000
    @Option(help: "Halt trials, each during a resume that is re-checking.") var trials = 100

    func validate() throws {
        guard (10...1_000_000).contains(roundTrips) else { throw ValidationError("--round-trips must be 10–1000000") }
        guard (1...10_000).contains(trials) else { throw ValidationError("--trials must be 1–10000") }
    }

    func run() async throws {
        print("bench control: \(roundTrips) round trips, then \(trials) halts during a resume re-checking with latency on")
        let rig: ChaosRig
        do {
            rig = try await ChaosRig.start(mode: .latency)
        } catch {
            Terminal.printError("bench control: cannot start the core: \(error.operatorText)")
            throw ExitCode.failure
        }
        var failed = false
        do {
            failed = try await measure(rig)
        } catch {
            Terminal.printError("bench control: \(error.operatorText)")
            failed = true
        }
        await rig.stop(keepFolder: false)
        if failed { throw ExitCode.failure }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Whether a check failed.
    private func measure(_ rig: ChaosRig) async throws -> Bool {
        guard await rig.until(within: .seconds(60), { rig.trading?.mode == .active }) != nil else {
            throw Failure(description: "trading did not become ACTIVE within 60 s")
        }
        let runtime = rig.runtime
        let board = ControlSocket.board(bus: runtime.bus, clock: SystemClock(), configuration: runtime.configuration, broker: "SIM")
        let server = try ControlSocket.server(board: board, runtime: runtime, broker: "SIM", logger: Logger(label: "control", factory: { _ in SwiftLogNoOpLogHandler() }))
        let serving = Task {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await board.run() }
                group.addTask { try await server.run() }
            }
        }
        defer { serving.cancel() }
        let client = try await ControlClient.connect(socketPath: server.socketPath, client: "ctl", readOnly: false)
        defer { client.close() }
        // Drain the stream so the client's buffer stays small.
        let draining = Task { for await _ in client.messages {} }
        defer { draining.cancel() }

        var roundTrip: [Duration] = []
        roundTrip.reserveCapacity(roundTrips)
        for _ in 0..<roundTrips {
            let start = ContinuousClock.now
            let result = try await client.send(.chaos(.schemaDrift, on: false))
            roundTrip.append(ContinuousClock.now - start)
            guard result.accepted else { throw Failure(description: "round trip refused: \(result.message)") }
        }
        Self.report("round trip", roundTrip, goal: .milliseconds(10))

        // A hold whose re-check is slow and keeps failing: credentials refused, every call 1.5 s late.
        _ = try await client.send(.chaos(.invalidCreds, on: true))
        guard await rig.until(within: .seconds(60), { rig.generation?.store.state.trading.isHeld(.config) == true }) != nil else {
            throw Failure(description: "no FAILED_CONFIG hold within 60 s of invalid_creds")
        }
        _ = try await client.send(.chaos(.latency, on: true))
        let statePath = runtime.configuration.paths.stateDirectory + "/trading_state.json"
        var halts: [Duration] = []
        var notDurable = 0
        var notHalted = 0
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<trials {
            let resume = Task { try await client.send(.resume) }
            // Somewhere inside the re-check (one call of 1.5 s).
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...1000, using: &generator)))
            let start = ContinuousClock.now
            let halt = try await client.send(.halt)
            halts.append(ContinuousClock.now - start)
            if !halt.accepted || Self.modeOnDisk(statePath) != "HALTED" { notDurable += 1 }
            _ = try await resume.value
            if Self.modeOnDisk(statePath) != "HALTED" || rig.trading?.mode != .halted { notHalted += 1 }
        }
        Self.report("halt", halts, goal: .milliseconds(50))
        print("durable       \(trials - notDurable) of \(trials) halts read back HALTED from the state file when answered")
        print("final         \(trials - notHalted) of \(trials) trials ended HALTED after the resume finished")
        _ = try await client.send(.chaos(.latency, on: false))
        _ = try await client.send(.chaos(.invalidCreds, on: false))
        return notDurable > 0 || notHalted > 0
    }

    private static func modeOnDisk(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let trading = object["trading_state"] as? [String: Any]
        else { return nil }
        return trading["mode"] as? String
    }

    private static func report(_ name: String, _ samples: [Duration], goal: Duration) {
        let sorted = samples.sorted()
        func percentile(_ p: Double) -> Duration { sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)] }
        func ms(_ duration: Duration) -> String { String(format: "%.2f ms", duration.seconds * 1000) }
        let label = name.padding(toLength: 13, withPad: " ", startingAt: 0)
        print("\(label) p50 \(ms(percentile(0.5))), p99 \(ms(percentile(0.99))) (goal < \(ms(goal))), max \(ms(sorted.last ?? .zero)), \(samples.count) samples")
    }
}
