import Logging
import Persistence
import Primitives
import ServiceLifecycle
import Strategies
import Synchronization
import TradingModel

/// The trading loop: start-up (load, check, reconcile — only then ACTIVE), then every tick the kill switch,
/// pending writes and reconciliation, then flow signals and exits through the strategy, each action
/// carried out by the executor. It refuses to trade until it knows where it stands, and a failure at any
/// start-up step leaves trading HALTED with its reason while the rest keeps running.
///
/// While it runs, the kill-switch file is watched (`KillSwitchWatcher`), so a HALT is held the moment it
/// appears; the per-tick check is the fallback. An order the executor's send gate refuses for a halt, the
/// kill switch or a stop ends the batch at once: the remaining actions and signals are not carried out.
public final class TradingEngine: Service {
    private let lifecycle = RunState("the trading engine", .restartable)
    /// The verdict of the start-up compatibility check: nil reason when trading may go on. `transient`:
    /// some endpoint failed for a transient cause (the network, a rate limit, a 5xx), so the check did not
    /// pass although nothing persistent was found.
    public struct CompatibilityVerdict: Sendable {
        public var reason: FailureReason?
        public var detail: String
        public var transient: Bool

        public init(reason: FailureReason?, detail: String, transient: Bool = false) {
            self.reason = reason
            self.detail = detail
            self.transient = transient
        }
    }

    public struct Settings: Sendable {
        public var tickInterval: Duration
        /// How often the market clock is asked whether the market is open.
        public var marketClockInterval: Duration
        /// How often the state is reconciled with the broker while all is well, so an order the broker
        /// recorded after Bulwark stopped waiting for it (a crash, a lost answer) is found without a restart.
        public var reconcileInterval: Duration
        /// An entry signal older than this is skipped (`MAX_SIGNAL_AGE_SECONDS`).
        public var maxSignalAge: Duration
        /// The account is read again once this old, or after a fill (`AccountReading`); zero: every tick.
        public var accountMaxAge: Duration

        public init(
            tickInterval: Duration = .seconds(1), marketClockInterval: Duration = .seconds(60), reconcileInterval: Duration = .seconds(300),
            maxSignalAge: Duration = .seconds(60), accountMaxAge: Duration = .zero
        ) {
            self.accountMaxAge = accountMaxAge
            self.maxSignalAge = maxSignalAge
            self.tickInterval = tickInterval
            self.marketClockInterval = marketClockInterval
            self.reconcileInterval = reconcileInterval
        }
    }

    public struct Parts: Sendable {
        public var store: StateStore
        public var reconciler: Reconciler
        public var controller: TradingController
        public var executor: OrderExecutor
        public var strategy: any Strategy
        public var broker: any Broker
        public var quotes: any QuoteSource
        public var router: any OrderRouter
        public var inbox: SignalInbox
        public var checkCompatibility: @Sendable () async -> CompatibilityVerdict
        /// What the trading stream pushes about orders (nil: orders are followed over REST only).
        public var orderUpdates: OrderUpdates?

        public init(
            store: StateStore, reconciler: Reconciler, controller: TradingController, executor: OrderExecutor, strategy: any Strategy,
            broker: any Broker, quotes: any QuoteSource, router: any OrderRouter, inbox: SignalInbox,
            checkCompatibility: @escaping @Sendable () async -> CompatibilityVerdict, orderUpdates: OrderUpdates? = nil
        ) {
            self.orderUpdates = orderUpdates
            self.store = store
            self.reconciler = reconciler
            self.controller = controller
            self.executor = executor
            self.strategy = strategy
            self.broker = broker
            self.quotes = quotes
            self.router = router
            self.inbox = inbox
            self.checkCompatibility = checkCompatibility
        }
    }

    public let parts: Parts
    private let killSwitch: KillSwitch
    private let health: (any HealthReporter)?
    private let bus: EventBus?
    private let clock: any WallClock
    private let logger: Logger
    private let settings: Settings
    private let loop = Mutex(LoopState())
    private let watcher: KillSwitchWatcher
    /// Follows the orders in flight alongside the loop (a child task of `run()`).
    let follower: OrderFollower
    /// The account as last read; read again when due.
    private let accountReading: AccountReading

    private struct LoopState {
        var marketOpen = true
        var marketCheckedAt: Timestamp?
        var lastAccount: AccountSnapshot?
        var flattenRequested = false
        /// Positions the operator asked to close (`close(_:)`), in the order asked.
        var closesRequested: [Symbol] = []
        var ticks = 0
        var reconciledAt: Timestamp?
        var pulse = LoopPulse(lastTickEnded: nil, busySince: nil)
        /// The broker failed an order this tick (after retries): no new entries until it answers a tick's reads.
        var brokerTrouble = false
        var lastQuotes: [Quote] = []
        /// Signals skipped before the strategy saw them, by reason.
        var skippedSignals: [SignalBatch.SkipReason: Int] = [:]
    }

    /// `health` is where the loop reports what it finds about the broker (as `trading-bot`'s own condition).
    public init(parts: Parts, bus: EventBus?, clock: any WallClock, logger: Logger, settings: Settings = Settings(), health: (any HealthReporter)? = nil) {
        self.parts = parts
        self.health = health
        self.killSwitch = KillSwitch(store: parts.store, logger: logger)
        self.watcher = KillSwitchWatcher(killSwitch: killSwitch, logger: logger)
        self.accountReading = AccountReading(maxAge: settings.accountMaxAge)
        self.follower = OrderFollower(executor: parts.executor, clock: clock, logger: logger, updates: parts.orderUpdates)
        self.bus = bus
        self.clock = clock
        self.logger = logger
        self.settings = settings
    }

    /// Ticks completed so far (the heartbeat of the loop).
    public var ticks: Int { loop.withLock { $0.ticks } }

    /// Signals skipped so far (stale entries, opposites canceled), by reason.
    public var skippedSignals: [SignalBatch.SkipReason: Int] { loop.withLock { $0.skippedSignals } }

    /// When the loop last ticked, and since when it has been busy (for the heartbeat keeper).
    public var pulse: LoopPulse { loop.withLock { $0.pulse } }

    /// Starts, then ticks until cancelled or asked to shut down gracefully, with the kill-switch file
    /// watched meanwhile. A graceful shutdown ends order sending at once: the order already on the wire
    /// gets its answer, nothing new is sent (the rest of the batch is dropped), following a resting order
    /// stops (its intent stays pending for reconciliation), and the wait between ticks is cut short.
    /// Orders in flight are followed by `follower`, a child task, so no tick waits for an order to end.
    /// Refuses a second run while one goes on (its supervisor may run it again once it ended).
    public func run() async throws {
        try await lifecycle.running { try await serve() }
    }

    private func serve() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.watcher.run() }
            await withTaskGroup(of: Void.self) { following in
                following.addTask { await self.follower.run { self.settled($0) } }
                await withGracefulShutdownHandler {
                    await start()
                    while !Task.isCancelled && !Task.isShuttingDownGracefully && !parts.executor.isStopping {
                        await tick()
                        try? await cancelWhenGracefulShutdown { try await self.clock.sleep(for: self.settings.tickInterval) }
                    }
                } onGracefulShutdown: {
                    self.parts.executor.stopSending()
                }
                // The loop is over: the follower gives each order in flight its last look, then ends.
                parts.executor.stopSending()
                await following.waitForAll()
            }
            group.cancelAll()
        }
        logger.notice("trading engine stopped", metadata: ["pending_intents": "\(parts.store.state.pendingIntents.count)"])
    }

    /// Ends order sending now, as a graceful shutdown does: see `run()`.
    public func stopSending() {
        parts.executor.stopSending()
    }

    /// The start-up sequence, each step an event: the state (already loaded by the store), the
    /// compatibility check, the reconciliation. Trading is held STARTING until it ends.
    public func start() async {
        let began = clock.now
        loop.withLock { $0.pulse.busySince = began }
        defer {
            let now = clock.now
            loop.withLock { $0.pulse = LoopPulse(lastTickEnded: now, busySince: nil) }
        }
        let store = parts.store
        hold(.startup, reason: "starting: not yet reconciled with the broker")
        let report = store.loadReport
        step(1, "load state", .succeeded, "\(report.outcome)" + (report.reconciliationRequired ? "; reconciliation required" : ""))

        step(2, "check APIs", .started, "")
        let verdict = await parts.checkCompatibility()
        switch verdict.reason {
        case .config?:
            hold(.config, reason: "FAILED_CONFIG: \(verdict.detail)")
            self.report(.failed, "start-up check: \(verdict.detail)", reason: .config)
            step(2, "check APIs", .failed, "FAILED_CONFIG: \(verdict.detail)")
        case .apiSchema?:
            hold(.apiSchema, reason: "FAILED_API_SCHEMA: \(verdict.detail)")
            self.report(.failed, "start-up check: \(verdict.detail)", reason: .apiSchema)
            step(2, "check APIs", .failed, "FAILED_API_SCHEMA: \(verdict.detail)")
        default:
            // A FAILED_CONFIG or FAILED_API_SCHEMA hold from an earlier run stays until the operator resumes
            // (resume re-runs this check): a restart alone does not lift a persistent fault.
            step(2, "check APIs", verdict.transient ? .failedTransient : .succeeded, verdict.detail)
        }

        step(3, "reconcile", .started, "")
        let reconciliation = await parts.reconciler.reconcile()
        step(3, "reconcile", reconciliation.outcome == .reconciled ? .succeeded : .failed,
             reconciliation.error ?? "\(reconciliation.diffs.count) difference(s), \(reconciliation.adoptedOrders.count) order(s) adopted")
        followAdoptedOrders()
        do {
            try store.release(.startup)
        } catch {
            logger.error("start-up ended, but its hold's release is not yet saved; the store retries the write", metadata: ["error": "\(error.message)"])
        }
        if verdict.reason == nil, let hold = store.state.trading.holds.first(where: { $0.code == .config || $0.code == .apiSchema }) {
            // Held for a persistent fault from an earlier run, until the operator resumes: FAILED, not STARTING.
            self.report(.failed, "held from an earlier run: \(hold.reason)", reason: hold.code == .config ? .config : .apiSchema)
        }
        reportBrokerReadable()
        let state = store.tradingState
        logger.notice("start-up done", metadata: ["trading": "\(state.mode.rawValue)", "reason": "\(state.reason ?? "-")"])
    }

    /// Closes every position through the guard as exits, on the next tick, and leaves trading REDUCING
    /// (if it was ACTIVE) until the operator resumes, so the strategy does not buy again at once.
    public func flattenAll() {
        loop.withLock { $0.flattenRequested = true }
    }

    /// Follows every order in flight until each has ended or is given up, as the follower of `run()` does,
    /// for a caller that ticks by hand.
    public func followOrdersInFlight() async {
        while !follower.inFlight.isEmpty {
            for outcome in await follower.followOnce() { settled(outcome) }
            guard !follower.inFlight.isEmpty, (try? await clock.sleep(for: parts.executor.followInterval)) != nil else { return }
        }
    }

    /// An order the follower saw to its end (its state and journal written): an unknown outcome is
    /// resolved by the next reconciliation, and no new entry goes until the broker answers again.
    private func settled(_ outcome: OrderExecutor.Outcome) {
        if case .unresolved = outcome {
            parts.reconciler.request()
            loop.withLock { $0.brokerTrouble = true }
        }
    }

    /// The open orders the last reconciliation adopted (on any path: start-up, the loop, a resume) are
    /// followed alongside the loop, as the orders it sends are.
    private func followAdoptedOrders() {
        let adopted = parts.reconciler.takeOrdersToFollow()
        guard !adopted.isEmpty else { return }
        follower.adopt(adopted, pending: Set(parts.store.state.pendingIntents.map(\.clientOrderID)))
    }

    /// Withdraws a flatten, and any operator's close, not yet begun (a halt cancels them).
    public func cancelFlatten() {
        loop.withLock { state in
            state.flattenRequested = false
            state.closesRequested = []
        }
    }

    /// Closes the position in `symbol` on the next tick: a market exit through the guard whose rule is
    /// `operator` (an order for it in flight is canceled first, and the close made once it has ended).
    public func close(_ symbol: Symbol) {
        loop.withLock { state in
            if !state.closesRequested.contains(symbol) { state.closesRequested.append(symbol) }
        }
    }

    /// One pass of the loop.
    public func tick() async {
        let began = clock.now
        loop.withLock { $0.pulse.busySince = began }
        defer {
            let now = clock.now
            loop.withLock { state in
                state.ticks += 1
                state.pulse = LoopPulse(lastTickEnded: now, busySince: nil)
            }
        }
        let store = parts.store
        killSwitch.check()
        store.retryPendingWriteIfDue()
        let now = clock.now
        let periodic = loop.withLock { state in
            guard let last = state.reconciledAt else {
                state.reconciledAt = now
                return false
            }
            guard last.duration(to: now) >= settings.reconcileInterval else { return false }
            state.reconciledAt = now
            return true
        }
        if periodic { parts.reconciler.request() }
        if await parts.reconciler.reconcileIfDue() != nil { reportBrokerReadable() }
        followAdoptedOrders()

        let signals = unprocessed(parts.inbox.takeAll()).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        let (flatten, closes) = loop.withLock { state in
            defer {
                state.flattenRequested = false
                state.closesRequested = []
            }
            return (state.flattenRequested, state.closesRequested)
        }
        // Held for a persistent fault, the broker is not asked again until the operator resumes (the
        // resume re-checks it): a refused key would only be refused again, every second.
        let trading = store.state.trading
        guard !trading.isHeld(.config), !trading.isHeld(.apiSchema) else {
            if !signals.isEmpty { markProcessed(signals) }
            return
        }
        let halted = store.tradingState.mode == .halted && !flatten

        let state = store.state
        // Halted, the account is still read: it is the broker's pulse (and the equity shown), so a broker
        // that goes away is seen even while nothing is traded.
        let symbols = halted ? [] : Set(state.positions.keys).union(signals.map(\.symbol)).sorted()
        let market: MarketSnapshot
        do {
            // With the trading stream down (or not yet trusted again) the account is read every tick, as
            // before there was a stream: it is the broker's pulse, and a broker gone with its stream is met here.
            if loop.withLock({ $0.brokerTrouble }) || parts.orderUpdates.map({ !$0.isLive }) == true { accountReading.forget() }
            let (account, fresh) = try await accountReading.account(now: clock.now, positions: state.positions) { try await parts.broker.account() }
            let quotes = symbols.isEmpty ? [:] : try await parts.quotes.latestQuotes(symbols)
            market = MarketSnapshot(account: account, quotes: quotes)
            publishAccountIfChanged(account)
            publishQuotesIfChanged(quotes)
            // Only a read clears broker trouble: an account kept from an earlier tick says nothing new.
            if fresh || !symbols.isEmpty {
                loop.withLock { $0.brokerTrouble = false }
                reportBrokerReadable()
            }
        } catch {
            brokerFailed(error)
            return
        }
        guard !halted else {
            if !signals.isEmpty { markProcessed(signals) }
            if !closes.isEmpty {
                logger.notice("operator's close not carried out: trading HALTED", metadata: ["symbols": "\(closes.map(\.rawValue))"])
            }
            return
        }
        let context = StrategyContext(positions: state.positions, quotes: market.quotes, marketOpen: await marketOpen(), now: clock.now)

        // A batch ends at once when an order may not be sent (halt, kill switch, stop): its remaining
        // signals are marked processed, as they are while HALTED.
        if flatten {
            if store.state.trading.chosen.mode == .active {
                do {
                    try store.choose(.reducing, reason: "flatten: closing every position; REDUCING until the operator resumes")
                } catch {
                    logger.error("flatten: REDUCING not saved; the store holds trading and retries", metadata: ["error": "\(error.message)"])
                }
            }
            // Orders in flight are canceled, and the flatten goes on next tick until none is left: a
            // position with an order in flight gets its exit then, and an entry that filled meanwhile too.
            if !follower.inFlight.isEmpty {
                follower.cancelAllSoon()
                loop.withLock { $0.flattenRequested = true }
            }
            await perform(
                state.positions.keys.sorted().map { .exit(symbol: $0, reason: ActionReason("flatten all (operator)", rule: .flatten)) }, market: market)
        } else if await closeOnCommand(closes, market: market), await perform(parts.strategy.actions(onTickIn: context), market: market) {
            for signal in sift(signals, now: context.now) {
                // Each signal sees the positions as the actions before it left them.
                var current = context
                current.positions = store.state.positions
                let actions = parts.strategy.actions(for: signal, in: current)
                if actions.isEmpty, let reason = parts.strategy.reasonForNoEntry(signal, in: current) {
                    logger.notice(
                        "alert skipped: \(reason)",
                        metadata: ["alert_id": "\(signal.id)", "symbol": "\(signal.symbol)", "kind": "\(signal.kind.rawValue)", "reason": "strategy"])
                }
                guard await perform(actions.map { $0.caused(by: signal.id) }, market: market) else { break }
            }
        }
        if !signals.isEmpty { markProcessed(signals) }
    }

    /// The operator's closes: a market exit for each position asked for, rule `operator`. A symbol with an
    /// order in flight has that order canceled (unless it is itself a close) and is closed on a later
    /// tick, once it has ended. False when the batch must end.
    private func closeOnCommand(_ symbols: [Symbol], market: MarketSnapshot) async -> Bool {
        var actions: [StrategyAction] = []
        for symbol in symbols {
            if let flight = follower.inFlight.first(where: { $0.symbol == symbol }) {
                if flight.intent.closeRule == nil { follower.cancelSoon(symbol) }
                close(symbol)
                continue
            }
            guard parts.store.state.positions[symbol] != nil else {
                logger.notice("operator's close: no position left to close", metadata: ["symbol": "\(symbol)"])
                continue
            }
            actions.append(.exit(symbol: symbol, reason: ActionReason("closed by the operator", rule: .operator)))
        }
        return await perform(actions, market: market)
    }

    /// Carries out `actions` in order; false when the batch must end (nothing more may be sent).
    @discardableResult
    private func perform(_ actions: [StrategyAction], market: MarketSnapshot) async -> Bool {
        for action in actions {
            guard !batchMustEnd else { return false }
            if case .enter = action {
                guard parts.store.tradingState.mode == .active else { continue }
                // Transient broker trouble stops new entries while it lasts; exits still go.
                guard !loop.withLock({ $0.brokerTrouble }) else {
                    logger.notice("entry skipped: the broker is in trouble", metadata: ["action": "\(action)"])
                    continue
                }
            }
            // One order per symbol at a time: an action on a symbol with an order in flight waits for a
            // later tick (the strategy asks again), never sends a second one.
            guard !follower.isInFlight(action.symbol) else {
                logger.info("action waits: an order for this symbol is in flight", metadata: ["action": "\(action)"])
                continue
            }
            let outcome: OrderExecutor.Outcome
            switch await parts.executor.send(action, market: market) {
            case .inFlight(let flight):
                // Followed alongside the loop; the tick goes on at once.
                follower.track(flight)
                logger.info(
                    "action sent; its order is followed alongside the loop",
                    metadata: ["action": "\(action)", "broker_order_id": "\(flight.order.brokerOrderID)", "rule": "\(action.reason.rule?.rawValue ?? "-")"])
                continue
            case .done(let done):
                outcome = done
            }
            logger.info(
                "action carried out", metadata: ["action": "\(action)", "outcome": "\(outcome)", "rule": "\(action.reason.rule?.rawValue ?? "-")"])
            switch outcome {
            case .unresolved:
                // An order whose outcome is not known is resolved by the next reconciliation (with backoff).
                parts.reconciler.request()
                loop.withLock { $0.brokerTrouble = true }
            case .notSent(let reason, endsBatch: true):
                logger.notice("batch ended: no further order is sent", metadata: ["reason": "\(reason)"])
                return false
            case .filled, .refusedByGuard, .refusedByBroker, .ended, .skipped, .notSent:
                break
            }
        }
        return !batchMustEnd
    }

    /// Stopping, or HALTED meanwhile (by the operator, a hold, or the kill switch seen by the watch):
    /// nothing more of the batch is carried out, not even looked at.
    private var batchMustEnd: Bool {
        parts.executor.isStopping || parts.store.tradingState.mode == .halted
    }

    /// Marks the whole batch processed, the alerts that caused no order too (those that did were marked
    /// with their intents). A failed write is held and retried by the store.
    private func markProcessed(_ signals: [FlowSignal]) {
        guard let last = signals.last else { return }
        let now = clock.now
        do {
            try parts.store.update { state in
                for signal in signals { state.markProcessed(signal.id, at: now) }
                state.lastFlowAlertID = last.id
            }
        } catch {
            logger.error("processed alerts not yet saved; the store retries the write", metadata: ["alerts": "\(signals.count)", "error": "\(error.message)"])
        }
    }

    /// The batch in order, stale entries and opposite signals taken out, each logged and counted.
    private func sift(_ signals: [FlowSignal], now: Timestamp) -> [FlowSignal] {
        let batch = SignalBatch(signals, now: now, maxAge: settings.maxSignalAge, isActionable: parts.strategy.isActionable)
        guard !batch.skipped.isEmpty else { return batch.signals }
        loop.withLock { state in
            for skip in batch.skipped { state.skippedSignals[skip.reason, default: 0] += 1 }
        }
        for skip in batch.skipped {
            logger.notice(
                "alert skipped: \(skip.detail)",
                metadata: ["alert_id": "\(skip.signal.id)", "symbol": "\(skip.signal.symbol)", "kind": "\(skip.signal.kind.rawValue)", "reason": "\(skip.reason.rawValue)"])
        }
        return batch.signals
    }

    /// The signals not yet processed: an alert marked processed (before a restart, a heal, or in this
    /// batch's feed twice) is dropped, and the drop logged.
    private func unprocessed(_ signals: [FlowSignal]) -> [FlowSignal] {
        guard !signals.isEmpty else { return signals }
        let processed = parts.store.state.processedSignalIDs
        var seen: Set<String> = []
        let fresh = signals.filter { !processed.contains($0.id) && seen.insert($0.id).inserted }
        if fresh.count < signals.count {
            logger.notice("alerts already processed are not acted on again", metadata: ["skipped": "\(signals.count - fresh.count)"])
        }
        return fresh
    }

    private func marketOpen() async -> Bool {
        let now = clock.now
        let cached: Bool? = loop.withLock { state in
            guard let checked = state.marketCheckedAt, checked.duration(to: now) < settings.marketClockInterval else { return nil }
            return state.marketOpen
        }
        if let cached { return cached }
        let open: Bool
        do {
            open = try await parts.router.isMarketOpen()
        } catch {
            // Not known: no entries this tick (exits never depend on it), not remembered, asked again next tick.
            logger.warning(
                "could not ask the broker whether the market is open; no new entries this tick",
                metadata: ["error": "\(error.operatorText)", "class": "\(APIErrorClass(classifying: error).rawValue)"])
            return false
        }
        loop.withLock { state in
            state.marketOpen = open
            state.marketCheckedAt = now
        }
        return open
    }

    /// The broker could not be read this tick: a refused key or a broken contract halts trading for good
    /// (until the operator resumes); anything else — the broker unreachable after the requester's retries —
    /// leaves `trading-bot` DEGRADED, which clears by itself on the next tick that reads the broker.
    private func brokerFailed(_ error: any Error) {
        let errorClass = APIErrorClass(classifying: error)
        switch errorClass.failureReason {
        case .config?:
            hold(.config, reason: "FAILED_CONFIG: the broker refused the credentials: \(error.operatorText)")
            report(.failed, "the broker refused the credentials", reason: .config, error: error)
        case .apiSchema?:
            hold(.apiSchema, reason: "FAILED_API_SCHEMA: the broker answered out of contract: \(error.operatorText)")
            report(.failed, "the broker answered out of contract", reason: .apiSchema, error: error)
        default:
            report(.degraded, "\(errorClass.brokerTrouble); no new orders until it answers", error: error)
        }
        logger.warning("market snapshot failed; skipping this tick", metadata: ["error": "\(error.operatorText)", "class": "\(errorClass.rawValue)"])
    }

    /// Holds trading for `code`. If the state cannot be written, the hold is in force in memory (the store
    /// holds FAILED_STATE too and retries the write): said in the log, not swallowed.
    private func hold(_ code: HaltCode, reason: String) {
        do {
            try parts.store.hold(code, reason: reason)
        } catch {
            logger.error(
                "trading is held in memory, but the hold is not yet saved; the store retries the write",
                metadata: ["hold": "\(code)", "reason": "\(reason)", "error": "\(error.message)"])
        }
    }

    /// OK once the broker answers and the state is reconciled with it; DEGRADED while not reconciled.
    private func reportBrokerReadable() {
        let trading = parts.store.state.trading
        // A persistent fault's FAILED stays until the operator's resume lifts its hold.
        guard !trading.isHeld(.config), !trading.isHeld(.apiSchema) else { return }
        if let hold = trading.holds.first(where: { $0.code == .reconciliation }) {
            report(.degraded, "not reconciled with the broker: \(hold.reason)")
        } else {
            report(.ok, nil)
        }
    }

    private func report(_ status: HealthStatus, _ detail: String?, reason: FailureReason? = nil, error: (any Error)? = nil) {
        health?.report(
            .tradingBot, from: .service, status: status, detail: detail, reason: reason, error: error?.operatorText, errorCode: error?.operatorCode)
    }

    private func publishQuotesIfChanged(_ quotes: [Symbol: Quote]) {
        guard !quotes.isEmpty else { return }
        let sorted = quotes.values.sorted { $0.symbol < $1.symbol }
        let changed = loop.withLock { state in
            defer { state.lastQuotes = sorted }
            return state.lastQuotes != sorted
        }
        if changed { bus?.publish(.quotes(sorted)) }
    }

    private func publishAccountIfChanged(_ account: AccountSnapshot) {
        let changed = loop.withLock { state in
            defer { state.lastAccount = account }
            return state.lastAccount != account
        }
        if changed { bus?.publish(.account(account)) }
    }

    private func step(_ index: Int, _ name: String, _ outcome: StartupProgress.Outcome, _ detail: String) {
        bus?.publish(.startup(StartupProgress(step: name, index: index, total: 3, outcome: outcome, detail: detail)))
        logger.log(level: outcome == .failed || outcome == .failedTransient ? .warning : .info, "start-up step \(index)/3 \(name): \(outcome.rawValue)", metadata: detail.isEmpty ? nil : ["detail": "\(detail)"])
    }
}
