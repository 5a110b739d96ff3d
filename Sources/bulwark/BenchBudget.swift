import ArgumentParser
import Assembly
import Foundation
import Logging
import PaperExchange
import Persistence
import Primitives
import ServiceLifecycle
import Settings
import Supervision
import TradingModel

/// `bulwark bench budget`: Bulwark as `bulwark run --headless` runs it, on its embedded paper exchange,
/// for a while; then the REST requests it made a minute, by route, as the exchange counted them.
struct BenchBudget: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Run headless on an in-process paper exchange; print the REST requests a minute, by route.",
        discussion: """
            Idle (--halted: trading HALTED by the kill-switch file, nothing sent) the goal is at most 10 a minute; \
            trading on the default strategy (the embedded exchange sends an alert every 3 s), at most 40. Alpaca allows 200.
            """)

    @Option(help: "Seconds to count, after the start-up.") var seconds = 60
    @Flag(help: "Trading HALTED (state/HALT) from the start: what an idle Bulwark spends.") var halted = false

    func validate() throws {
        guard (5...3_600).contains(seconds) else { throw ValidationError("--seconds must be 5–3600") }
    }

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.path + "/bulwark-bench-budget-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runtime: Runtime
        let bus: EventBus
        do {
            try PrivateDirectory.prepare(folder)
            let loaded = try BulwarkConfiguration.load(ConfigurationInputs(environment: ["DASHBOARD_PORT": "0"], workingDirectory: folder))
            let configuration = loaded.configuration
            if halted {
                try PrivateDirectory.prepare(configuration.paths.stateDirectory)
                _ = FileManager.default.createFile(atPath: configuration.paths.stateDirectory + "/HALT", contents: Data("bench budget\n".utf8))
            }
            let clock = SystemClock()
            bus = EventBus(clock: clock)
            let file = try LogFile(path: configuration.paths.logsDirectory + "/bulwark.log")
            let redactor = Redactor(secrets: configuration.secrets)
            let log: @Sendable (String) -> Logger = { label in
                Logger(label: label) { JSONLogHandler(label: $0, file: file, clock: clock, redactor: redactor) }
            }
            runtime = try await Runtime.build(configuration: configuration, bus: bus, log: log, clock: clock)
        } catch {
            Terminal.printError("bench budget: \(error.operatorText)")
            throw ExitCode.failure
        }
        guard let exchange = runtime.exchange else {
            Terminal.printError("bench budget: no embedded exchange")
            throw ExitCode.failure
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: runtime.groundServices + [.init(service: runtime.host)], logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { try await group.run() }
        print("bench budget: headless on an in-process paper exchange, \(halted ? "trading HALTED (idle)" : "trading on the default strategy"), \(seconds) s counted")
        // The start-up (compatibility check, reconciliation) is not the steady state: counted from the first OK.
        let ready = ContinuousClock.now + .seconds(60)
        while runtime.registry.overall.status != .ok, ContinuousClock.now < ready {
            try? await Task.sleep(for: .milliseconds(100))
        }
        let before = exchange.requestCounts.snapshot
        let started = ContinuousClock.now
        try? await Task.sleep(for: .seconds(seconds))
        let elapsed = ContinuousClock.now - started
        let after = exchange.requestCounts.snapshot
        let stream = runtime.registry.service(.tradeStream)?.status.rawValue ?? "-"
        await group.triggerGracefulShutdown()
        _ = await task.result
        await runtime.close()

        let perMinute = 60 / max(elapsed.seconds, 1e-9)
        let rows = after.map { route, count in (route, Double(count - (before[route] ?? 0)) * perMinute) }.filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }
        for (route, rate) in rows {
            print(route.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%6.1f /min", rate))
        }
        let total = rows.reduce(0) { $0 + $1.1 }
        let alpaca = rows.filter { !$0.0.contains("flow-alerts") }.reduce(0) { $0 + $1.1 }
        let goal = halted ? 10.0 : 40.0
        print(String(format: "total         %.1f requests/min (Alpaca's routes %.1f; Alpaca allows 200); ", total, alpaca) + "trade-stream \(stream)")
        print(String(format: "goal          Alpaca's routes at most %.0f/min ", goal) + (halted ? "idle" : "trading") + ": " + (alpaca <= goal ? "met" : "NOT met"))
        if alpaca > goal { throw ExitCode.failure }
    }
}
