@testable import Engine
import Foundation
@testable import Persistence
@testable import Primitives
import ServiceLifecycleTestKit
@testable import Strategies
import TestSupport
import Testing

/// The engine ends a batch the moment an order may not be sent (kill switch, stop), and a graceful
/// shutdown ends order sending.
struct EngineSendingTests {
    private struct Setup {
        let parts: ExecutionFixture
        let broker = InMemoryBroker()
        let quotes: FixedQuotes
        let flow = ScriptedFlowSource()
        let inbox = SignalInbox()
        let feed: FlowFeed
        let engine: TradingEngine
        let symbols = ["AAPL", "MSFT", "NVDA"].map { Symbol($0)! }

        init(directory: String) throws {
            parts = try ExecutionFixture(directory: directory)
            let (clock, bus, store, log) = (parts.clock, parts.bus, parts.store, parts.log)
            quotes = FixedQuotes(clock: clock)
            for symbol in symbols { quotes.set(symbol, bid: Decimal(string: "99.99")!, ask: Decimal(string: "100.01")!) }
            let reconciler = Reconciler(store: store, broker: broker, clock: clock, bus: bus, logger: log.logger)
            let engineParts = TradingEngine.Parts(
                store: store, reconciler: reconciler, controller: TradingController(store: store, reconciler: reconciler, logger: log.logger),
                executor: parts.executor, strategy: FlowFollowingStrategy(), broker: broker, quotes: quotes, router: parts.router, inbox: inbox,
                checkCompatibility: { .init(reason: nil, detail: "all endpoints ok") })
            engine = TradingEngine(parts: engineParts, bus: bus, clock: clock, logger: log.logger)
            feed = FlowFeed(source: flow, store: store, inbox: inbox, clock: clock, logger: log.logger)
        }

        /// One strong call alert per symbol, polled into the inbox: a batch of three entries.
        func queueBatch() async throws {
            for (index, symbol) in symbols.enumerated() {
                flow.add(FlowSignal(
                    id: "alert-\(index + 1)", symbol: symbol, kind: .call, totalPremium: 200_000, askSideShare: Decimal(string: "0.8")!,
                    createdAt: parts.clock.now.advanced(by: .seconds(Int64(index)))))
            }
            try await feed.poll()
        }

        func tick() async throws {
            let engine = engine
            try await drive(parts.clock) {
                await engine.tick()
                await engine.followOrdersInFlight()
            }
        }

        func journal() throws -> [OrderJournalEntry.Record] { try parts.journal.read().entries.map(\.record) }
    }

    /// state/HALT appears while the first order of a batch of three is on the wire: that order gets its
    /// answer, the next is refused ("not sent", journaled as canceled), the third is not even tried, and
    /// every signal of the batch is marked processed.
    @Test func killSwitchMidBatchEndsTheBatch() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            await setup.engine.start()
            try await setup.queueBatch()
            let haltPath = setup.parts.store.directory + "/" + KillSwitch.fileName
            setup.parts.router.afterSubmit { _ in _ = FileManager.default.createFile(atPath: haltPath, contents: nil) }
            try await setup.tick()
            #expect(setup.parts.router.submitAttempts == 1)
            #expect(setup.parts.store.state.positions[setup.symbols[0]] != nil, "the order on the wire was followed to its fill")
            let canceled = try setup.journal().compactMap { record -> OrderRejection? in
                if case .canceled(let rejection) = record { return rejection }
                return nil
            }
            #expect(canceled.map(\.symbol) == [setup.symbols[1]])
            #expect(canceled.first?.reason.hasPrefix("not sent: kill switch") == true)
            #expect(try setup.journal().filter { $0.eventName == "intent" }.count == 2, "the third signal was not carried out")
            #expect(setup.parts.store.state.pendingIntents.isEmpty)
            #expect(setup.parts.store.tradingState.mode == .halted)
            #expect(setup.parts.store.state.lastFlowAlertID == "alert-3")
        }
    }

    /// The operator halts while the first order of a batch is on the wire: that order gets its answer
    /// and the rest of the batch is not even tried (no further intent), its signals marked processed.
    @Test func operatorHaltMidBatchEndsTheBatch() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            await setup.engine.start()
            try await setup.queueBatch()
            let controller = setup.engine.parts.controller
            setup.parts.router.afterSubmit { _ in _ = controller.halt() }
            try await setup.tick()
            #expect(setup.parts.router.submitAttempts == 1)
            #expect(try setup.journal().filter { $0.eventName == "intent" }.count == 1)
            #expect(setup.parts.store.tradingState.mode == .halted)
            #expect(setup.parts.store.state.lastFlowAlertID == "alert-3")
        }
    }

    /// A stop while the first order of a batch is on the wire: that order is followed to its fill and
    /// nothing more is tried.
    @Test func stopMidBatchSendsNothingMore() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            await setup.engine.start()
            try await setup.queueBatch()
            let engine = setup.engine
            setup.parts.router.afterSubmit { _ in engine.stopSending() }
            try await setup.tick()
            #expect(setup.parts.router.submitAttempts == 1)
            #expect(setup.parts.store.state.positions[setup.symbols[0]] != nil)
            #expect(try setup.journal().filter { $0.eventName == "intent" }.count == 1)
            #expect(setup.parts.store.state.pendingIntents.isEmpty)
        }
    }

    /// A graceful shutdown of the engine's task raises the executor's stop (so nothing new is sent) and
    /// ends `run()`, the kill-switch watch with it.
    @Test func gracefulShutdownStopsSending() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            let engine = setup.engine
            await testGracefulShutdown { trigger in
                let running = Task { try await engine.run() }
                #expect(await setup.parts.clock.waitForSleepers(1), "the engine waits for its next tick")
                #expect(!engine.parts.executor.isStopping)
                trigger.triggerGracefulShutdown()
                _ = await running.result
                #expect(engine.parts.executor.isStopping)
                #expect(setup.parts.log.contains("trading engine stopped"))
            }
        }
    }
}
