import Assembly
import Console
import Foundation
import Logging
import PaperExchange
import Persistence
import Primitives
import ServiceLifecycle
import Settings
import Supervision
import TradingModel

/// One Bulwark core on a fresh embedded exchange in a temporary folder, running as `bulwark run` does,
/// for one chaos scenario: what the scenario watches (health, trading, positions, the exchange's book)
/// and what it does (the operator's commands).
package final class ChaosRig: Sendable {
    package let folder: String
    package let runtime: Runtime
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let collector: Task<Void, Never>
    private let failures: LockedBox<[(at: Timestamp, failure: APIFailure)]>
    private let transcript: LockedBox<[String]>
    private let statuses: LockedBox<[ServiceHealth]>

    /// Settings shortened so a scenario runs in seconds; the rules are production's.
    static let tuning = Runtime.Tuning(flowPollInterval: .seconds(1), failedPollsBeforeRestart: 2)

    package static func start(mode: ChaosMode) async throws -> ChaosRig {
        try await start(name: mode.rawValue)
    }

    /// A rig for the rehearsal `name` (its folder is named after it); `environment` adds to or overrides
    /// the rig's settings.
    package static func start(name: String, environment: [String: String] = [:]) async throws -> ChaosRig {
        let folder = FileManager.default.temporaryDirectory.path + "/bulwark-chaos-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let settings = ["SUPERVISOR_MAX_RESTARTS": "3", "DASHBOARD_PORT": "0"].merging(environment) { _, given in given }
        let loaded = try BulwarkConfiguration.load(ConfigurationInputs(environment: settings, workingDirectory: folder))
        let configuration = loaded.configuration
        let clock = SystemClock()
        let bus = EventBus(clock: clock)
        let events = bus.subscribe(name: "chaos-test", bufferSize: 65_536)
        let file = try LogFile(path: configuration.paths.logsDirectory + "/bulwark.log")
        let redactor = Redactor(secrets: configuration.secrets)
        let log: @Sendable (String) -> Logger = { label in
            Logger(label: label) { JSONLogHandler(label: $0, file: file, clock: clock, redactor: redactor, bus: bus) }
        }
        let runtime = try await Runtime.build(configuration: configuration, bus: bus, log: log, clock: clock, tuning: tuning)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: runtime.groundServices + [.init(service: runtime.host)], logger: log("lifecycle")))
        let task = Task { try await group.run() }
        let failures = LockedBox<[(at: Timestamp, failure: APIFailure)]>([])
        let transcript = LockedBox<[String]>([])
        let statuses = LockedBox<[ServiceHealth]>([])
        let collector = Task {
            var pane = EventTranscript()
            for await event in events {
                if case .apiError(let failure) = event.kind { failures.withLock { $0.append((event.timestamp, failure)) } }
                if case .serviceStatus(let health) = event.kind { statuses.withLock { $0.append(health) } }
                let lines = pane.append(event).map { "\($0.time.rfc3339) \($0.level) \($0.text)" }
                if !lines.isEmpty { transcript.withLock { $0 += lines } }
            }
        }
        return ChaosRig(folder: folder, runtime: runtime, group: group, task: task, collector: collector, failures: failures, transcript: transcript,
            statuses: statuses)
    }

    private init(
        folder: String, runtime: Runtime, group: ServiceGroup, task: Task<Void, any Error>, collector: Task<Void, Never>,
        failures: LockedBox<[(at: Timestamp, failure: APIFailure)]>, transcript: LockedBox<[String]>, statuses: LockedBox<[ServiceHealth]>
    ) {
        self.folder = folder
        self.runtime = runtime
        self.group = group
        self.task = task
        self.collector = collector
        self.failures = failures
        self.transcript = transcript
        self.statuses = statuses
    }

    /// Every status a service was published with so far (the bus's `serviceStatus` events), oldest first.
    func statusHistory(_ name: ServiceName) -> [ServiceHealth] { statuses.value.filter { $0.name == name } }

    /// The events pane's lines so far, as the console shows them (time, level, text), oldest first.
    package var eventLines: [String] { transcript.value }

    /// The failed API calls published so far, with when.
    var apiFailures: [(at: Timestamp, failure: APIFailure)] { failures.value }

    /// Stops gracefully and removes the folder.
    package func stop(keepFolder: Bool) async {
        await group.triggerGracefulShutdown()
        _ = await task.result
        await runtime.close()
        collector.cancel()
        if keepFolder {
            // Beside the log, what the console's events pane would have shown.
            let text = eventLines.joined(separator: "\n") + "\n"
            try? text.write(toFile: folder + "/logs/events.txt", atomically: true, encoding: .utf8)
        } else {
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    // MARK: What a scenario watches

    var registry: HealthRegistry { runtime.registry }
    package var generation: CoreGeneration? { runtime.host.generation }
    package var trading: TradingState? { generation?.store.tradingState }
    var overall: OverallHealth { registry.overall }

    func status(_ name: ServiceName) -> HealthStatus? { registry.service(name)?.status }

    var exchangeBook: ExchangeBook? { runtime.exchange?.snapshot() }

    /// Whether Bulwark's positions are the broker's, symbol by symbol (quantities).
    var positionsMatchBroker: Bool {
        guard let book = exchangeBook, let store = generation?.store else { return false }
        let local = store.state.positions.mapValues(\.quantity).filter { $0.value != 0 }
        var broker: [Symbol: Decimal] = [:]
        for record in book.state.positions where record.quantity != 0 { broker[record.symbol] = record.quantity }
        return local == broker
    }

    var brokerPositionCount: Int { exchangeBook?.state.positions.filter { $0.quantity != 0 }.count ?? 0 }
    var brokerOrderCount: Int { exchangeBook?.orderCount ?? 0 }

    /// Polls `condition` every 50 ms until it holds (returning how long that took) or `limit` passes (nil).
    package func until(within limit: Duration, _ condition: () -> Bool) async -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit {
            if condition() { return ContinuousClock.now - start }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition() ? ContinuousClock.now - start : nil
    }

    /// Whether `condition` holds at every poll for `period`.
    func holds(for period: Duration, _ condition: () -> Bool) async -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < period {
            if !condition() { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    // MARK: What a scenario does

    @discardableResult
    func command(_ command: ControlCommand) async -> CommandResult {
        await runtime.host.perform(command)
    }
}
