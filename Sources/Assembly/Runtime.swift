import Dashboard
import Engine
import Foundation
import Logging
import MarketClients
import PaperExchange
import Persistence
import Primitives
import RiskGuard
import ServiceLifecycle
import Settings
import Supervision
import TradingModel

/// Everything one Bulwark process runs, built from the configuration: the wiring of the modules, and
/// nothing else. The embedded paper exchange is started first when there are no Alpaca keys.
package struct Runtime {
    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    package let configuration: BulwarkConfiguration
    package let bus: EventBus
    let logger: Logger
    package let host: CoreHost
    package let registry: HealthRegistry
    /// The API clients (through the chaos transport), shared by every generation.
    package let connections: MarketConnections
    /// Counts what the bus carries for `/metrics`; runs beside the host, across generations.
    package let metrics: MetricsRecorder
    /// Publishes the vital signs once a second; runs beside the host, across generations.
    package let vitals: VitalSignsPublisher
    let transport: AsyncHTTPTransport
    package let chaos: ChaosSwitchboard
    package let exchange: ExchangeServer?
    /// The embedded exchange, running; the process's service group stops it (listed first, it stops last).
    let exchangeService: EmbeddedExchangeService?
    /// This process's hold on `state/`, for as long as the runtime lives.
    let lock: DirectoryLock

    /// The embedded exchange's alerts come faster than a real feed's, so a demo shows trades within a minute.
    static let embeddedAlertInterval: Duration = .seconds(3)
    static let embeddedPollInterval: Duration = .seconds(2)

    /// The core's own thread (see `DedicatedExecutor`): one for the process, shared by every runtime it
    /// builds (`chaos-test` builds several), started on first use.
    package static let coreThread = DedicatedExecutor(name: "bulwark-core")

    /// How old the account may be before the engine reads it again (a fill reads it at once). It is also
    /// the broker's pulse while nothing trades: a refused key or a broker gone is seen within this, so it
    /// is 15 s — 4 reads a minute, inside the idle budget of 10 requests a minute — not a whole minute
    /// (with 60 s, `invalid_creds` switched on while HALTED went unseen for up to a minute).
    package static let accountMaxAge: Duration = .seconds(15)

    /// Settings a test or `chaos-test` may shorten; the defaults are production's.
    package struct Tuning: Sendable {
        package var engine: TradingEngine.Settings
        package var heartbeat: HeartbeatKeeper.Settings
        package var flowPollInterval: Duration?
        package var failedPollsBeforeRestart: Int
        /// How often the embedded exchange issues a flow alert (nil: the demo's `embeddedAlertInterval`).
        package var exchangeAlertInterval: Duration?
        /// When a quote pushed by the market-data stream is too old to use, and how long a symbol is followed.
        package var quotes = StreamedQuotes.Settings()

        package init(
            engine: TradingEngine.Settings = TradingEngine.Settings(accountMaxAge: Runtime.accountMaxAge), heartbeat: HeartbeatKeeper.Settings = HeartbeatKeeper.Settings(),
            flowPollInterval: Duration? = nil, failedPollsBeforeRestart: Int = 3, exchangeAlertInterval: Duration? = nil
        ) {
            self.engine = engine
            self.heartbeat = heartbeat
            self.flowPollInterval = flowPollInterval
            self.failedPollsBeforeRestart = failedPollsBeforeRestart
            self.exchangeAlertInterval = exchangeAlertInterval
        }
    }

    /// `log` makes the logger of each part, by label.
    package static func build(
        configuration: BulwarkConfiguration, bus: EventBus, log: @escaping @Sendable (String) -> Logger, clock: any WallClock = SystemClock(),
        tuning: Tuning = Tuning()
    ) async throws -> Runtime {
        let paths = configuration.paths
        let logger = log("bulwark")
        // As many descriptors as the system allows: the servers' connection limits are sized from it.
        DescriptorLimit.raiseSoftToHard()
        // The emergency reserve: a few descriptors set aside, given back the moment the process runs out.
        DescriptorReserve.process.fill()
        // First of all: nothing else may run on this state folder (its state file, its exchange book).
        let lock: DirectoryLock
        do {
            lock = try DirectoryLock.acquire(paths.stateDirectory)
        } catch {
            throw StartFailure(description: "\(error.operatorText)")
        }
        var exchange: ExchangeServer?
        var exchangeService: EmbeddedExchangeService?
        let endpoints: BulwarkConfiguration.Endpoints
        switch configuration.broker {
        case .paper(let given), .live(let given):
            endpoints = given
        case .embedded:
            // Fresh random keys each run: only this process talks to its embedded exchange.
            let keyID = Secret("PK" + Self.randomToken(18))
            let secretKey = Secret(Self.randomToken(40))
            let server: ExchangeServer
            do {
                server = try ExchangeServer(
                    options: ExchangeServer.Options(
                        keyID: keyID, secretKey: secretKey, flowToken: secretKey,
                        book: ExchangeBook.Configuration(seed: 1, flowAlertInterval: tuning.exchangeAlertInterval ?? embeddedAlertInterval),
                        stateDirectory: paths.stateDirectory),
                    clock: clock, logger: log("paper-exchange"))
            } catch {
                throw StartFailure(description: "embedded paper exchange: \(error.operatorText)")
            }
            let service = EmbeddedExchangeService(server, logger: log("paper-exchange"))
            exchangeService = service
            let port: Int
            do {
                port = try await server.boundPort()
            } catch {
                await service.stop()
                throw StartFailure(description: "embedded paper exchange: \(error.operatorText)")
            }
            let url = URL(string: "http://127.0.0.1:\(port)")!
            endpoints = BulwarkConfiguration.Endpoints(tradingBaseURL: url, dataBaseURL: url, keyID: keyID, secretKey: secretKey, flowBaseURL: url, flowToken: secretKey)
            exchange = server
            logger.notice("embedded paper exchange listening", metadata: ["url": "\(url.absoluteString)"])
        }

        let journal: OrderJournal
        do {
            journal = try OrderJournal(path: paths.logsDirectory + "/orders.jsonl", maximumBytes: configuration.orderJournalMaxBytes, clock: clock, logger: log("journal"))
        } catch {
            throw StartFailure(description: "order journal: \(error.operatorText)")
        }
        do {
            try PrivateDirectory.prepare(paths.stateDirectory)
        } catch {
            throw StartFailure(description: "state folder \(error.description)")
        }
        // A dashboard that is not run (DASHBOARD_PORT=0) is not listed: it would stay STARTING for ever.
        let services = HealthRegistry.standardServices.filter { configuration.dashboardPort != 0 || $0.name != .dashboard } + [(.tradeStream, false), (.quoteStream, false)]
        let registry = HealthRegistry(
            services: services, path: paths.stateDirectory + "/health.json", clock: clock, bus: bus, logger: log("health"))
        let chaos = ChaosSwitchboard(locked: configuration.broker.isLive, initial: configuration.chaosModes, bus: bus, logger: log("chaos"))
        let transport = AsyncHTTPTransport()
        let connections = MarketConnections(endpoints: endpoints, transport: transport, chaos: chaos, clock: clock, bus: bus, logger: log("api"))
        let pollInterval = tuning.flowPollInterval ?? (exchange == nil ? configuration.flowPollInterval : embeddedPollInterval)
        let metrics = MetricsRecorder(bus: bus)
        let marks = ActivityMarks()
        let wiring = Wiring(
            configuration: configuration, bus: bus, log: log, clock: clock, tuning: tuning, journal: journal, registry: registry,
            connections: connections, metrics: metrics, pollInterval: pollInterval, marks: marks)
        let stateDirectory = paths.stateDirectory
        let stateLogger = log("state")
        let host = CoreHost(
            registry: registry, chaos: chaos, bus: bus, clock: clock, logger: log("supervisor"), journal: journal,
            haltOnDisk: { reason, actor in
                // No generation is in force: the halt goes straight into the state file, which the next
                // generation loads (the command queue holds its lock, so no generation loads meanwhile).
                do throws(StateStoreError) {
                    let store = try StateStore(directory: stateDirectory, clock: clock, bus: bus, logger: stateLogger)
                    try store.choose(.halted, reason: TradingCommands.reason(reason, actor), actor: actor.tradingActor)
                    return CommandResult.Draft(accepted: true, message: "trading HALTED (written to the state file; the core is starting)")
                } catch {
                    return CommandResult.Draft(
                        accepted: false, message: "halt not saved: \(error.message); use touch \(stateDirectory)/HALT", code: error.errorCode)
                }
            },
            reserve: .process, executor: Self.coreThread, build: { number in try wiring.generation(number) })
        let vitals = VitalSignsPublisher(
            bus: bus, clock: clock,
            sources: VitalSignsPublisher.Sources(
                core: {
                    guard let generation = host.generation else { return nil }
                    return (generation.engine.pulse.lastTickEnded, generation.store.state.realizedPnL)
                },
                realizedSince: { journal.realizedPnL(since: $0) }, calls: connections.calls, marks: marks),
            exposureLimit: configuration.limits.maxPortfolioExposurePct)
        return Runtime(
            configuration: configuration, bus: bus, logger: logger, host: host, registry: registry, connections: connections, metrics: metrics,
            vitals: vitals,
            transport: transport, chaos: chaos, exchange: exchange, exchangeService: exchangeService, lock: lock)
    }

    /// How an order reaches the broker: the guard (with its journal), the idempotent submitter over the
    /// trading client, and the executor that drives them. Shared by the service and `bench pipeline`.
    package static func orderPath(
        connections: MarketConnections, store: StateStore, journal: OrderJournal, limits: GuardLimits, bus: EventBus?,
        clock: any WallClock, log: @escaping @Sendable (String) -> Logger, settings: OrderExecutor.Settings = OrderExecutor.Settings(),
        health: HealthRegistry? = nil
    ) -> (router: AlpacaOrderRouter, executor: OrderExecutor) {
        let gate = OrderGate(tradeGuard: TradeGuard(limits: limits), journal: journal, bus: bus, logger: log("guard"))
        let submitter = OrderSubmitter(client: connections.trading, ledger: store, clock: clock, logger: log("orders"))
        let router = AlpacaOrderRouter(client: connections.trading, submitter: submitter)
        let executor = OrderExecutor(
            store: store, router: router, gate: gate, journal: journal, bus: bus, clock: clock, logger: log("executor"), settings: settings,
            health: health)
        return (router, executor)
    }

    /// The services of the process's group that the runtime brings, to be listed before all others (the
    /// group stops them last).
    package var groundServices: [ServiceGroupConfiguration.ServiceConfiguration] {
        exchangeService.map { [.init(service: $0)] } ?? []
    }

    /// Stops what `build` started that is not a supervised service (the exchange again, in case the group
    /// never ran).
    package func close() async {
        try? await transport.shutdown()
        await exchangeService?.stop()
        bus.finish()
    }

    static func randomToken(_ length: Int) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
