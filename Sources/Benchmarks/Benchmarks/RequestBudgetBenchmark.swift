import Assembly
import Foundation
import Logging
import PaperExchange
import Persistence
import Primitives
import ServiceLifecycle
import Settings
import TradingModel

/// `bulwark bench budget`: how many REST requests Bulwark spends a minute, counted where they arrive — at
/// the embedded paper exchange, route by route. A Bulwark core runs as `bulwark run --headless` does, with
/// production's settings (its own flow poll interval, not the demo's), in a fresh temporary folder; after a
/// warm-up the exchange's tally is read at the start and the end of a window.
package enum RequestBudgetBenchmark {
    /// What the market does meanwhile.
    package enum Phase: String, Sendable, CaseIterable {
        /// No flow alerts: Bulwark watches and does nothing else.
        case idle
        /// A flow alert every 3 s (the demo's pace, so that the default strategy finds entries within the window).
        case trading

        var alertInterval: Duration { self == .idle ? .seconds(86_400 * 365) : .seconds(3) }

        /// Trading: orders large enough for one share of every symbol (the default $400 buys none of SPY,
        /// META, QQQ or MSFT) and a position limit to match; every other setting is the default.
        var environment: [String: String] {
            self == .idle ? [:] : ["ORDER_NOTIONAL_USD": "1000", "MAX_POSITION_SIZE_USD": "1200"]
        }
    }

    package struct Result: Sendable {
        package var phase: Phase
        /// Requests per route over the window.
        package var counts: [String: Int]
        package var window: Duration
        /// Orders the exchange received over the whole run (trading shows it traded).
        package var orders: Int

        package var total: Int { counts.values.reduce(0, +) }
        package func perMinute(_ count: Int) -> Double { Double(count) * 60 / max(window.seconds, 0.001) }
    }

    package static func run(phase: Phase, warmup: Duration, window: Duration) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory.path + "/bulwark-bench-budget-\(phase.rawValue)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // No keys: the embedded exchange. No dashboard: it makes no broker requests either way.
        let loaded = try BulwarkConfiguration.load(ConfigurationInputs(environment: ["DASHBOARD_PORT": "0"].merging(phase.environment) { $1 }, workingDirectory: folder))
        let configuration = loaded.configuration
        let clock = SystemClock()
        let bus = EventBus(clock: clock)
        let file = try LogFile(path: configuration.paths.logsDirectory + "/bulwark.log")
        let redactor = Redactor(secrets: configuration.secrets)
        let log: @Sendable (String) -> Logger = { label in
            Logger(label: label) { JSONLogHandler(label: $0, file: file, clock: clock, redactor: redactor, bus: bus) }
        }
        let tuning = Runtime.Tuning(flowPollInterval: configuration.flowPollInterval, exchangeAlertInterval: phase.alertInterval)
        let runtime = try await Runtime.build(configuration: configuration, bus: bus, log: log, clock: clock, tuning: tuning)
        guard let exchange = runtime.exchange else { throw BenchmarkFailure("bench budget: the embedded exchange did not start") }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: runtime.groundServices + [.init(service: runtime.host)], logger: log("lifecycle")))
        let task = Task { try await group.run() }
        let start: [String: Int]
        let end: [String: Int]
        let measured: Duration
        do {
            try await Task.sleep(for: warmup)
            start = exchange.requestTally()
            let began = ContinuousClock.now
            try await Task.sleep(for: window)
            end = exchange.requestTally()
            measured = ContinuousClock.now - began
        } catch {
            await group.triggerGracefulShutdown()
            _ = await task.result
            await runtime.close()
            throw error
        }
        let orders = exchange.snapshot().orderCount
        await group.triggerGracefulShutdown()
        _ = await task.result
        await runtime.close()
        var counts: [String: Int] = [:]
        for (route, count) in end where count - (start[route] ?? 0) > 0 { counts[route] = count - (start[route] ?? 0) }
        return Result(phase: phase, counts: counts, window: measured, orders: orders)
    }
}

/// A benchmark that could not run, said in words.
package struct BenchmarkFailure: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
