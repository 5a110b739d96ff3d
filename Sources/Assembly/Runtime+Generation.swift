import Dashboard
import Engine
import Logging
import MarketClients
import PaperExchange
import Persistence
import Primitives
import Replay
import RiskGuard
import Settings
import Strategies
import Supervision
import TradingModel

extension Runtime {
    /// What a generation of the core is built from: the parts that outlive a `supervisor_crash` (the
    /// connections with their rate limiters, the journal, the health registry).
    struct Wiring: Sendable {
        let configuration: BulwarkConfiguration
        let bus: EventBus
        let log: @Sendable (String) -> Logger
        let clock: any WallClock
        let tuning: Tuning
        let journal: OrderJournal
        let registry: HealthRegistry
        let connections: MarketConnections
        let metrics: MetricsRecorder
        let pollInterval: Duration
        /// Where the flow feed marks a fresh alert (for the vital signs).
        let marks: ActivityMarks
        /// With `DASHBOARD_PORT=any`, the port the first dashboard was given, which later generations take again.
        let chosenDashboardPort = ChosenPort()

        /// A generation from what is on disk: the state store loads (and heals) the state file, the
        /// engine starts by checking the APIs and reconciling, then the supervisor runs the services.
        func generation(_ number: Int) throws -> CoreGeneration {
            let paths = configuration.paths
            let store: StateStore
            do {
                store = try StateStore(
                    directory: paths.stateDirectory, clock: clock, bus: bus, logger: log("state"),
                    history: { [journal] in journal.signalHistory() })
            } catch {
                throw StartFailure(description: "state: \(error.message)")
            }
            store.holdWhileJournalFails(journal)
            let connections = self.connections
            let reconciler = Reconciler(
                store: store, broker: connections.trading, clock: clock, bus: bus, journal: journal, logger: log("reconciler"),
                historyLookback: .seconds(max(24 * 3600, configuration.limits.minCooldownMinutes * 60)))
            let compatibility: @Sendable () async -> TradingEngine.CompatibilityVerdict = {
                let report = await connections.checkCompatibility()
                let failing = report.lines.compactMap { line -> String? in
                    if case .failure(let error) = line.result { return "\(line.endpoint) \(error.errorClass.rawValue) \(error.message)" }
                    return nil
                }
                return TradingEngine.CompatibilityVerdict(
                    reason: report.failureReason, detail: failing.isEmpty ? "all endpoints answer in contract" : failing.joined(separator: "; "),
                    transient: !failing.isEmpty && report.failureReason == nil)
            }
            // The supervisor is made last (it runs the services below), so the resume's re-checks reach it late.
            let supervisorSlot = LockedBox<Supervisor?>(nil)
            let recheckAPIs: TradingController.Recheck = {
                let verdict = await compatibility()
                guard verdict.reason == nil else { return verdict.detail }
                _ = await supervisorSlot.value?.revive([.config, .apiSchema])
                return nil
            }
            // Given-up services are started afresh; if they fail again, they are given up again.
            let recheckRestarts: TradingController.Recheck = {
                _ = await supervisorSlot.value?.revive([.restarts])
                return nil
            }
            let controller = TradingController(
                store: store, reconciler: reconciler, logger: log("trading"),
                rechecks: [.config: recheckAPIs, .apiSchema: recheckAPIs, .restarts: recheckRestarts])
            let (router, executor) = Runtime.orderPath(
                connections: connections, store: store, journal: journal, limits: GuardLimits(configuration.limits), bus: bus, clock: clock, log: log,
                health: registry)
            let inbox = SignalInbox()
            let orderUpdates = OrderUpdates(health: registry, logger: log("trade-stream"))
            let streamedQuotes = StreamedQuotes(
                rest: connections.marketData, watchlist: configuration.strategy.watchlist, clock: clock, health: registry, logger: log("quote-stream"),
                settings: tuning.quotes)
            // RECORD_MARKET=1: every quote read and flow alert received also goes to logs/market/.
            let recorder = configuration.recordMarket
                ? MarketRecordingWriter(
                    folder: configuration.paths.logsDirectory + "/market", maximumBytes: configuration.orderJournalMaxBytes,
                    session: configuration.broker == .embedded ? .always : .nyse, logger: log("market-recorder")) : nil
            let quotes: any QuoteSource = recorder.map { RecordingQuoteSource(streamedQuotes, recorder: $0, clock: clock) } ?? streamedQuotes
            let flow: any FlowSource = recorder.map { RecordingFlowSource(connections.flow, recorder: $0, clock: clock) } ?? connections.flow
            let parts = TradingEngine.Parts(
                store: store, reconciler: reconciler, controller: controller, executor: executor,
                strategy: FlowFollowingStrategy(settings: configuration.strategy), broker: connections.trading,
                quotes: quotes, router: router, inbox: inbox, checkCompatibility: compatibility, orderUpdates: orderUpdates)
            var engineSettings = tuning.engine
            engineSettings.maxSignalAge = configuration.maxSignalAge
            let engine = TradingEngine(parts: parts, bus: bus, clock: clock, logger: log("trading-bot"), settings: engineSettings, health: registry)
            let feed = FlowFeed(
                source: flow, store: store, inbox: inbox, clock: clock, logger: log("uw-daemon"),
                settings: FlowFeed.Settings(
                    interval: pollInterval, maxAge: max(.seconds(300), pollInterval * 4), failuresBeforeRestart: tuning.failedPollsBeforeRestart),
                health: registry, marks: marks)
            var heartbeatSettings = tuning.heartbeat
            heartbeatSettings.tickInterval = tuning.engine.tickInterval
            let heartbeat = HeartbeatKeeper(
                path: paths.stateDirectory + "/heartbeat", pulse: { engine.pulse }, registry: registry, clock: clock, logger: log("heartbeat-keeper"),
                settings: heartbeatSettings)
            var children: [Supervisor.Child] = [
                .init(name: .tradingBot, service: engine),
                .init(name: .uwDaemon, service: feed),
                .init(name: .heartbeatKeeper, service: heartbeat, causeCheck: CauseChecks.folderTakesWrites(paths.stateDirectory)),
                .init(
                    name: .tradeStream,
                    service: TradeStreamService(
                        client: connections.tradingStream, sink: orderUpdates, chaos: connections.chaos, clock: clock, logger: log("trade-stream"))),
                .init(
                    name: .quoteStream,
                    service: QuoteStreamService(client: connections.quoteStream, sink: streamedQuotes, chaos: connections.chaos, clock: clock, logger: log("quote-stream"))),
            ]
            if configuration.dashboardPort != 0 {
                let (configured, chosen) = (configuration.dashboardPort, chosenDashboardPort)
                children.append(.init(
                    name: .dashboard,
                    service: DashboardService(
                        port: configuration.dashboardPort, chosen: chosenDashboardPort, registry: registry, metrics: metrics,
                        logger: log("dashboard")),
                    causeCheck: CauseChecks.portFree { configured == BulwarkConfiguration.anyDashboardPort ? chosen.port : configured }))
            } else if number == 1 {
                log("dashboard").notice("dashboard disabled (DASHBOARD_PORT=0)")
            }
            let limits = configuration.supervisor
            let supervisor = Supervisor(
                children: children, registry: registry,
                policy: Supervisor.Policy(maxRestarts: limits.maxRestarts, window: .seconds(limits.restartWindowMinutes * 60)),
                clock: clock, logger: log("supervisor"))
            supervisorSlot.value = supervisor
            return CoreGeneration(number: number, store: store, reconciler: reconciler, controller: controller, engine: engine, supervisor: supervisor)
        }
    }
}
