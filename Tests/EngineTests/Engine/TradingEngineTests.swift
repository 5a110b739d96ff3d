@testable import Engine
import Foundation
@testable import Persistence
@testable import Primitives
@testable import Strategies
@testable import Supervision
import TestSupport
import Testing
@testable import TradingModel

struct TradingEngineTests {
    private struct Setup {
        let parts: ExecutionFixture
        let broker = InMemoryBroker()
        let quotes: FixedQuotes
        let flow = ScriptedFlowSource()
        let inbox = SignalInbox()
        let feed: FlowFeed
        let engine: TradingEngine
        let health: HealthRegistry
        var clock: ManualClock { parts.clock }
        var bus: EventBus { parts.bus }
        var events: EventSubscription { parts.events }
        var store: StateStore { parts.store }
        var router: InMemoryOrderRouter { parts.router }
        var aapl: Symbol { parts.aapl }

        init(directory: String, verdict: TradingEngine.CompatibilityVerdict = .init(reason: nil, detail: "all endpoints ok")) throws {
            parts = try ExecutionFixture(directory: directory)
            let (clock, bus, store, log) = (parts.clock, parts.bus, parts.store, parts.log)
            quotes = FixedQuotes(clock: clock)
            quotes.set(parts.aapl, bid: Decimal(string: "99.99")!, ask: Decimal(string: "100.01")!)
            let reconciler = Reconciler(store: store, broker: broker, clock: clock, bus: bus, logger: log.logger)
            let engineParts = TradingEngine.Parts(
                store: store, reconciler: reconciler, controller: TradingController(store: store, reconciler: reconciler, logger: log.logger),
                executor: parts.executor, strategy: FlowFollowingStrategy(), broker: broker, quotes: quotes, router: parts.router, inbox: inbox,
                checkCompatibility: { verdict })
            health = HealthRegistry(services: HealthRegistry.standardServices, path: nil, clock: clock, bus: nil, logger: log.logger)
            engine = TradingEngine(parts: engineParts, bus: bus, clock: clock, logger: log.logger, health: health)
            feed = FlowFeed(source: flow, store: store, inbox: inbox, clock: clock, logger: log.logger)
        }

        func signal(_ id: String, _ kind: FlowSignal.Kind = .call, ageSeconds: Int64 = 0) -> FlowSignal {
            FlowSignal(id: id, symbol: aapl, kind: kind, totalPremium: 200_000, askSideShare: Decimal(string: "0.8")!, createdAt: clock.now.advanced(by: .seconds(-ageSeconds)))
        }

        func tick() async throws {
            let engine = engine
            try await drive(clock) {
                await engine.tick()
                await engine.followOrdersInFlight()
            }
        }

        func startupSteps() async -> [StartupProgress] {
            bus.finish()
            var steps: [StartupProgress] = []
            for await event in events { if case .startup(let step) = event.kind { steps.append(step) } }
            return steps
        }
    }

    /// Start-up publishes its three steps and ends ACTIVE once reconciled.
    @Test func startupReconcilesThenTrades() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            setup.broker.setPositions([BrokerPosition(symbol: setup.aapl, quantity: 2, averageEntryPrice: 98)])
            await setup.engine.start()
            #expect(setup.store.tradingState.mode == .active)
            #expect(setup.store.state.positions[setup.aapl]?.quantity == 2)
            let steps = await setup.startupSteps()
            #expect(steps.filter { $0.outcome != .started }.map(\.step) == ["load state", "check APIs", "reconcile"])
            #expect(steps.allSatisfy { $0.outcome != .failed })
        }
    }

    /// A start-up check whose endpoints failed for a transient cause (the network) is "failed
    /// (transient)", in the event and the log, never "succeeded".
    @Test func transientCheckFailureIsNoSuccess() async throws {
        try await withTemporaryDirectory { directory in
            let verdict = TradingEngine.CompatibilityVerdict(reason: nil, detail: "GET /v2/account NETWORK_ERROR connection refused", transient: true)
            let setup = try Setup(directory: directory, verdict: verdict)
            await setup.engine.start()
            let check = await setup.startupSteps().filter { $0.step == "check APIs" && $0.outcome != .started }
            #expect(check.map(\.outcome) == [.failedTransient])
            #expect(setup.parts.log.contains("start-up step 2/3 check APIs: failed (transient)"))
            #expect(!setup.parts.log.contains("check APIs: succeeded"))
        }
    }

    /// `trading-bot` is STARTING through the start-up and OK only at its end; a FAILED_CONFIG hold left by
    /// an earlier run (the operator has not resumed) makes it FAILED at the end, never STARTING for ever.
    @Test func startingUntilTheStartupEnds() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            #expect(setup.health.service(.tradingBot)?.status == .starting)
            await setup.engine.start()
            #expect(setup.health.service(.tradingBot)?.status == .ok)
        }
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            try setup.store.hold(.config, reason: "FAILED_CONFIG: the broker refused the credentials")
            await setup.engine.start()
            let bot = setup.health.service(.tradingBot)
            #expect(bot?.status == .failed && bot?.reason == .config, "\(String(describing: bot))")
            #expect(setup.store.tradingState.mode == .halted)
        }
    }

    /// AUTH at start leaves trading HALTED with FAILED_CONFIG while the rest goes on.
    @Test func startupWithBadCredentials() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory, verdict: .init(reason: .config, detail: "GET /v2/account AUTH_ERROR forbidden."))
            await setup.engine.start()
            #expect(setup.store.tradingState.mode == .halted)
            #expect(setup.store.tradingState.reason?.hasPrefix("FAILED_CONFIG") == true)
        }
    }

    /// An unreachable broker at start leaves trading HALTED with FAILED_RECONCILIATION, lifted when it is back.
    @Test func startupWithBrokerDown() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            setup.broker.setUnreachable(true)
            await setup.engine.start()
            #expect(setup.store.tradingState.reason?.hasPrefix("FAILED_RECONCILIATION") == true)
            setup.broker.setUnreachable(false)
            setup.clock.advance(by: .seconds(600))
            try await setup.tick()
            #expect(setup.store.tradingState.mode == .active)
        }
    }

    /// A strong call alert becomes an order, a fill and a saved position; the alert id is saved.
    @Test func alertBecomesAPosition() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            await setup.engine.start()
            setup.flow.add(setup.signal("alert-1"))
            try await setup.feed.poll()
            try await setup.tick()
            #expect(setup.router.submitted.count == 1)
            #expect(setup.store.state.positions[setup.aapl]?.quantity == 3)
            #expect(setup.store.state.lastFlowAlertID == "alert-1")
            // The same alert polled again is not acted on twice.
            try await setup.feed.poll()
            try await setup.tick()
            #expect(setup.router.submitted.count == 1)
        }
    }

    /// When the broker cannot say whether the market is open, no entry is made that tick and the reason is
    /// logged (it was swallowed as "closed"); the next tick asks again and the entry goes.
    @Test func unknownMarketClockIsSaidAndAskedAgain() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            await setup.engine.start()
            setup.router.setMarketClockFails(true)
            setup.flow.add(setup.signal("alert-1"))
            try await setup.feed.poll()
            try await setup.tick()
            #expect(setup.router.submitted.isEmpty)
            #expect(setup.parts.log.contains("could not ask the broker whether the market is open"), "\(setup.parts.log.lines)")
            setup.router.setMarketClockFails(false)
            setup.clock.advance(by: .seconds(5))
            setup.flow.add(setup.signal("alert-2"))
            try await setup.feed.poll()
            try await setup.tick()
            #expect(setup.router.submitted.count == 1, "\(setup.parts.log.lines.map(\.description).joined(separator: "\n"))")
        }
    }

    /// An order the broker fails (after retries) stops new entries for the rest of the tick — the second
    /// signal is not sent — and leaves the intent to reconciliation; the next tick that reads the broker
    /// lifts the stop and entries go again.
    @Test func brokerTroubleStopsNewEntriesUntilItAnswers() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            let msft = Symbol("MSFT")!
            setup.quotes.set(msft, bid: Decimal(string: "99.99")!, ask: Decimal(string: "100.01")!)
            await setup.engine.start()
            setup.router.setBehaviour(.fail)
            setup.flow.add(setup.signal("alert-1"))
            setup.flow.add(FlowSignal(
                id: "alert-2", symbol: msft, kind: .call, totalPremium: 200_000, askSideShare: Decimal(string: "0.8")!, createdAt: setup.clock.now))
            try await setup.feed.poll()
            try await setup.tick()
            #expect(setup.router.submitAttempts == 1, "the second entry was not sent")
            #expect(setup.parts.log.contains("entry skipped: the broker is in trouble"))

            setup.router.setBehaviour(.fill(at: Decimal(string: "100.01")!))
            setup.flow.add(FlowSignal(
                id: "alert-3", symbol: msft, kind: .call, totalPremium: 200_000, askSideShare: Decimal(string: "0.8")!,
                createdAt: setup.clock.now.advanced(by: .seconds(1))))
            try await setup.feed.poll()
            try await setup.tick()
            #expect(setup.router.submitAttempts == 2)
            #expect(setup.store.state.positions[msft] != nil)
        }
    }

    /// While HALTED nothing is sent; in REDUCING, flatten-all closes every position as exits.
    @Test func haltedSendsNothingAndFlattenExits() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            await setup.engine.start()
            setup.flow.add(setup.signal("alert-1"))
            try await setup.feed.poll()
            try await setup.tick()
            #expect(setup.store.state.positions.count == 1)

            _ = setup.engine.parts.controller.halt()
            setup.flow.add(setup.signal("alert-2"))
            try await setup.feed.poll()
            try await setup.tick()
            #expect(setup.router.submitted.count == 1)

            _ = await setup.engine.parts.controller.reduceOnly()
            setup.engine.flattenAll()
            try await setup.tick()
            #expect(setup.store.state.positions.isEmpty)
            #expect(setup.router.submitted.last?.side == .sell)
        }
    }

    /// While all is well the state is reconciled every few minutes: a position the broker holds but Bulwark
    /// does not know (an order recorded after a crash) is found without a restart.
    @Test func periodicReconciliation() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            await setup.engine.start()
            try await setup.tick()
            setup.broker.setPositions([BrokerPosition(symbol: setup.aapl, quantity: 7, averageEntryPrice: 99)])
            setup.clock.advance(by: .seconds(60))
            try await setup.tick()
            #expect(setup.store.state.positions[setup.aapl] == nil)
            setup.clock.advance(by: .seconds(300))
            try await setup.tick()
            #expect(setup.store.state.positions[setup.aapl]?.quantity == 7)
        }
    }

    /// After a restart the feed skips alerts up to the saved id, and alerts too old to act on.
    @Test func feedSkipsProcessedAndStaleAlerts() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            try setup.store.update { $0.lastFlowAlertID = "b" }
            setup.flow.add(setup.signal("a", ageSeconds: 30))
            setup.flow.add(setup.signal("b", ageSeconds: 20))
            setup.flow.add(setup.signal("c", ageSeconds: 10))
            setup.flow.add(setup.signal("old", ageSeconds: 3600))
            let fresh = try await setup.feed.poll()
            #expect(fresh.map(\.id) == ["c"])
            // Without a saved id, only the fresh ones are admitted.
            let other = try Setup(directory: directory + "/other")
            other.flow.add(other.signal("stale", ageSeconds: 3600))
            other.flow.add(other.signal("new", ageSeconds: 5))
            #expect(try await other.feed.poll().map(\.id) == ["new"])
        }
    }
}
