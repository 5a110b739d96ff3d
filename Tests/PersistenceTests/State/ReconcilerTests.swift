import Engine
import Foundation
import Logging
import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

struct ReconcilerTests {
    private func order(_ id: String, _ symbol: Symbol, status: BrokerOrder.Status) -> BrokerOrder {
        BrokerOrder(clientOrderID: id, brokerOrderID: "broker-\(id)", symbol: symbol, side: .buy, quantity: 5, status: status)
    }

    private func intent(_ id: String, _ symbol: Symbol = StateSamples.aapl) -> OrderIntent {
        OrderIntent(clientOrderID: id, symbol: symbol, side: .buy, quantity: 5, limitPrice: nil, createdAt: StateSamples.start)
    }

    /// Every position that differs becomes a typed diff in the event and the log; the broker's positions are
    /// kept and saved, with local opening times kept where the side is unchanged.
    @Test func diffsArePublishedAndBrokerWins() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let bus = EventBus(clock: clock)
            let log = LogCapture()
            let store = try StateSamples.openStore(directory, clock: clock, bus: bus, log: log)
            let earlier = StateSamples.start.advanced(by: .seconds(-3600))
            try store.update { state in
                state.positions[StateSamples.aapl] = Position(symbol: StateSamples.aapl, quantity: 10, averageEntryPrice: 100, openedAt: earlier)
                state.positions[StateSamples.msft] = Position(symbol: StateSamples.msft, quantity: 5, averageEntryPrice: 400, openedAt: earlier)
            }
            let broker = InMemoryBroker(positions: [
                BrokerPosition(symbol: StateSamples.aapl, quantity: 12, averageEntryPrice: Decimal(string: "101.5")!),
                BrokerPosition(symbol: StateSamples.tsla, quantity: -3, averageEntryPrice: 250),
            ])
            clock.advance(by: .seconds(10))
            let before = bus.publishedCount
            let events = bus.subscribe(name: "test")
            let reconciler = Reconciler(store: store, broker: broker, clock: clock, bus: bus, logger: log.logger)
            let report = await reconciler.reconcile()

            let expected = [
                PositionDiff(symbol: StateSamples.aapl, local: 10, broker: 12),
                PositionDiff(symbol: StateSamples.msft, local: 5, broker: nil),
                PositionDiff(symbol: StateSamples.tsla, local: nil, broker: -3),
            ]
            #expect(report.outcome == .reconciled)
            #expect(report.diffs == expected)
            let positions = store.state.positions
            #expect(positions.count == 2)
            #expect(positions[StateSamples.aapl] == Position(symbol: StateSamples.aapl, quantity: 12, averageEntryPrice: Decimal(string: "101.5")!, openedAt: earlier))
            #expect(positions[StateSamples.tsla]?.openedAt == clock.now)
            #expect(StateSamples.decodedState(in: directory)?.positions == positions, "the reconciled state is saved")

            let published = await events.take(Int(bus.publishedCount - before))
            let reports = published.compactMap { event -> ReconciliationReport? in
                if case .reconciliation(let report) = event.kind { return report }
                return nil
            }
            #expect(reports == [report])
            for diff in expected {
                #expect(log.lines.contains { $0.level == .warning && $0.metadata["symbol"] == diff.symbol.rawValue })
            }
        }
    }

    /// Pending intents are resolved by client order id: open at the broker → adopted and kept; done → adopted
    /// and cleared; unknown → dropped as never sent.
    @Test func intentsAreAdoptedOrDropped() async throws {
        try await withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            try store.update { state in
                state.recordIntent(intent("open-1"))
                state.recordIntent(intent("filled-2"))
                state.recordIntent(intent("never-3"))
            }
            let broker = InMemoryBroker(orders: [
                order("open-1", StateSamples.aapl, status: .open),
                order("filled-2", StateSamples.aapl, status: .filled),
            ])
            let reconciler = Reconciler(store: store, broker: broker, clock: ManualClock(now: StateSamples.start), logger: LogCapture().logger)
            let report = await reconciler.reconcile()
            #expect(report.adoptedOrders == ["open-1", "filled-2"])
            #expect(report.droppedIntents == ["never-3"])
            #expect(store.state.pendingIntents.map(\.clientOrderID) == ["open-1"])
            // A fresh state (no record of trades of its own) reads the broker's order history too.
            #expect(broker.calls == ["account", "positions", "openOrders", "order(filled-2)", "order(never-3)", "closedOrders"])
        }
    }

    /// An unreachable broker holds trading HALTED with FAILED_RECONCILIATION; retries follow the backoff on the
    /// manual clock; the first success lifts that halt.
    @Test func unreachableBrokerHaltsAndRetriesWithBackoff() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let log = LogCapture()
            let store = try StateSamples.openStore(directory, clock: clock, log: log)
            let broker = InMemoryBroker()
            broker.setUnreachable(true)
            let reconciler = Reconciler(
                store: store, broker: broker, clock: clock, logger: log.logger,
                backoff: RetryBackoff(initialDelay: .seconds(2), maximumDelay: .seconds(30)))

            let first = await reconciler.reconcileIfDue()
            #expect(first?.outcome == .failed)
            #expect(first?.error?.contains("connection refused") == true)
            #expect(store.tradingState.mode == .halted)
            #expect(store.tradingState.actor == .system)
            #expect(store.tradingState.reason?.hasPrefix("FAILED_RECONCILIATION: broker unreachable") == true)
            #expect(StateSamples.decodedState(in: directory)?.tradingState == store.tradingState, "the halt is saved")
            #expect(log.contains("reconciliation with the broker failed"))

            #expect(await reconciler.reconcileIfDue() == nil, "not before the backoff")
            clock.advance(by: .seconds(2))
            #expect(await reconciler.reconcileIfDue()?.outcome == .failed)
            #expect(reconciler.nextAttemptAt == clock.now.advanced(by: .seconds(4)))
            #expect(reconciler.consecutiveFailures == 2)

            broker.setUnreachable(false)
            clock.advance(by: .seconds(3))
            #expect(await reconciler.reconcileIfDue() == nil)
            clock.advance(by: .seconds(1))
            #expect(await reconciler.reconcileIfDue()?.outcome == .reconciled)
            #expect(store.tradingState.mode == .active)
            #expect(reconciler.nextAttemptAt == nil)
            #expect(await reconciler.reconcileIfDue() == nil, "nothing more to do")
        }
    }

    /// A successful reconciliation lifts its own halt but never the operator's halt nor the kill switch's.
    @Test func successDoesNotLiftOtherHalts() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let store = try StateSamples.openStore(directory, clock: clock)
            let broker = InMemoryBroker()
            let reconciler = Reconciler(store: store, broker: broker, clock: clock, logger: LogCapture().logger)
            try store.choose(.halted, reason: "operator: earnings")

            broker.setUnreachable(true)
            _ = await reconciler.reconcile()
            #expect(store.tradingState.reason?.hasPrefix("FAILED_RECONCILIATION") == true)
            try store.hold(.killSwitch, reason: KillSwitch.reason, actor: .operator)

            broker.setUnreachable(false)
            #expect(await reconciler.reconcile().outcome == .reconciled)
            #expect(store.tradingState.reason == KillSwitch.reason)
            try store.release(.killSwitch)
            #expect(store.tradingState == TradingState(mode: .halted, reason: "operator: earnings", actor: .operator, since: StateSamples.start))
        }
    }

    /// After a corrupt state file was set aside, trading stays halted until a reconciliation succeeds.
    @Test func healedStateIsReleasedByReconciliation() async throws {
        try await withTemporaryDirectory { directory in
            try StateSamples.write(Array("{ torn".utf8), to: StateSamples.statePath(directory))
            let store = try StateSamples.openStore(directory)
            #expect(store.loadReport.reconciliationRequired)
            #expect(store.tradingState.mode == .halted)
            let broker = InMemoryBroker(positions: [BrokerPosition(symbol: StateSamples.aapl, quantity: 7, averageEntryPrice: 190)])
            let reconciler = Reconciler(store: store, broker: broker, clock: ManualClock(now: StateSamples.start), logger: LogCapture().logger)
            let report = await reconciler.reconcileIfDue()
            #expect(report?.diffs == [PositionDiff(symbol: StateSamples.aapl, local: nil, broker: 7)])
            #expect(store.tradingState.mode == .active)
            #expect(store.state.positions[StateSamples.aapl]?.quantity == 7)
        }
    }

    /// A broker answer that cannot be right (a position at price zero) fails the reconciliation instead of
    /// corrupting the state, and is held FAILED_API_SCHEMA at once (not retried: retrying cannot mend it).
    @Test func outOfContractAnswerFails() async throws {
        try await withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            let broker = InMemoryBroker(positions: [BrokerPosition(symbol: StateSamples.aapl, quantity: 7, averageEntryPrice: 0)])
            let reconciler = Reconciler(store: store, broker: broker, clock: ManualClock(now: StateSamples.start), logger: LogCapture().logger)
            let report = await reconciler.reconcile()
            #expect(report.outcome == .failed)
            #expect(report.error?.contains("average entry price 0") == true)
            #expect(store.state.positions.isEmpty)
            #expect(store.tradingState.reason?.hasPrefix("FAILED_API_SCHEMA") == true)
            #expect(store.state.trading.isHeld(.reconciliation))
            #expect(reconciler.nextAttemptAt == nil)
        }
    }

    /// Refused credentials (AUTH) are held FAILED_CONFIG at once — the reason in force, as health says it —
    /// with no backoff loop against the 403; the reconciliation stays owed. Once the key is put right, the
    /// operator's resume re-runs both and trading is ACTIVE.
    @Test func refusedCredentialsAreFailedConfigAtOnce() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let store = try StateSamples.openStore(directory, clock: clock)
            let broker = InMemoryBroker()
            broker.failWith(.auth)
            let log = LogCapture()
            let reconciler = Reconciler(store: store, broker: broker, clock: clock, logger: log.logger)
            let report = await reconciler.reconcile()
            #expect(report.outcome == .failed)
            #expect(store.tradingState.mode == .halted)
            #expect(store.tradingState.reason?.hasPrefix("FAILED_CONFIG: the broker refused the credentials") == true)
            #expect(store.tradingState.reason?.contains("unreachable") == false)
            #expect(store.state.trading.isHeld(.reconciliation))
            #expect(reconciler.nextAttemptAt == nil)
            let calls = broker.calls.count
            clock.advance(by: .seconds(600))
            #expect(await reconciler.reconcileIfDue() == nil)
            #expect(broker.calls.count == calls)  // no retry loop against the 403

            broker.failWith(nil)
            let controller = TradingController(
                store: store, reconciler: reconciler, logger: log.logger, rechecks: [.config: { nil }])
            #expect(await controller.resume() == .changed(store.tradingState))
            #expect(store.tradingState.mode == .active)
            #expect(store.state.trading.holds.isEmpty)
        }
    }

    /// Transient failures are retried on the backoff and named for what they are: NETWORK as the broker
    /// unreachable, RATE_LIMIT as the rate limit (never "unreachable").
    @Test(arguments: [APIErrorClass.network, .rateLimit])
    func transientFailuresRetryNamedForWhatTheyAre(errorClass: APIErrorClass) async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let store = try StateSamples.openStore(directory, clock: clock)
            let broker = InMemoryBroker()
            broker.failWith(errorClass)
            let reconciler = Reconciler(store: store, broker: broker, clock: clock, logger: LogCapture().logger)
            _ = await reconciler.reconcile()
            let reason = store.tradingState.reason ?? ""
            #expect(reason.hasPrefix("FAILED_RECONCILIATION"))
            #expect(reconciler.nextAttemptAt != nil)
            if errorClass == .rateLimit {
                #expect(reason.contains("rate limit") && !reason.contains("unreachable"), "\(reason)")
            } else {
                #expect(reason.contains("broker unreachable"), "\(reason)")
            }
        }
    }

    /// A hold the state cannot save (its file blocked) is said in the log with its reason, not swallowed.
    @Test func unsavedHoldIsLogged() async throws {
        try await withTemporaryDirectory { directory in
            let log = LogCapture()
            let store = try StateSamples.openStore(directory, log: log)
            try? FileManager.default.removeItem(atPath: StateSamples.statePath(directory))
            try FileManager.default.createDirectory(atPath: StateSamples.statePath(directory) + "/in-the-way", withIntermediateDirectories: true)
            let broker = InMemoryBroker()
            broker.failWith(.auth)
            let reconciler = Reconciler(store: store, broker: broker, clock: ManualClock(now: StateSamples.start), logger: log.logger)
            _ = await reconciler.reconcile()
            #expect(store.state.trading.isHeld(.config), "held in memory")
            #expect(log.lines.contains { $0.message.contains("hold is not yet saved") && $0.metadata["hold"] == "\(HaltCode.config)" })
        }
    }
}
