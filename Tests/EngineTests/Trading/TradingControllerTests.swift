import Engine
import Foundation
import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

struct TradingControllerTests {
    private func lastTradingState(_ subscription: EventSubscription, bus: EventBus) async -> [TradingState] {
        bus.finish()
        var states: [TradingState] = []
        for await event in subscription {
            if case .tradingState(let state) = event.kind { states.append(state) }
        }
        return states
    }

    /// halt is immediate, persisted (it survives a reopen of the store) and published.
    @Test func haltIsPersistedAndPublished() async throws {
        try await withTemporaryDirectory { directory in
            let bus = EventBus(clock: ManualClock())
            let events = bus.subscribe(name: "test")
            let store = try StateSamples.openStore(directory, bus: bus)
            let controller = TradingController(store: store, logger: LogCapture().logger)
            guard case .changed(let state) = controller.halt(reason: "operator pressed h") else {
                Issue.record("halt did not change the state")
                return
            }
            #expect(state.mode == .halted)
            #expect(state.actor == .operator)
            #expect(state.reason == "operator pressed h")
            #expect(try StateSamples.openStore(directory).tradingState.mode == .halted)
            #expect(controller.halt() == .unchanged(store.tradingState))
            #expect(await lastTradingState(events, bus: bus).last?.mode == .halted)
        }
    }

    /// An operator halt is lifted by resume; reduce-only lets exits only; every change is validated.
    @Test func resumeAndReduceOnly() async throws {
        try await withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            let controller = TradingController(store: store, logger: LogCapture().logger)
            #expect(await controller.resume() == .unchanged(store.tradingState))
            _ = controller.halt()
            guard case .changed(let resumed) = await controller.resume() else {
                Issue.record("resume after an operator halt must succeed")
                return
            }
            #expect(resumed.mode == .active)
            guard case .changed(let reducing) = await controller.reduceOnly() else {
                Issue.record("reduce-only must change the state")
                return
            }
            #expect(reducing.mode == .reducing)
            #expect(try StateSamples.openStore(directory).tradingState.mode == .reducing)
        }
    }

    /// A system halt is re-checked on resume: while the check fails trading stays HALTED with the reason;
    /// once it passes, that halt is released and trading resumes.
    @Test func resumeRerunsTheCheckBehindASystemHalt() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let store = try StateSamples.openStore(directory, clock: clock)
            let broker = InMemoryBroker()
            broker.setUnreachable(true)
            let log = LogCapture()
            let reconciler = Reconciler(store: store, broker: broker, clock: clock, logger: log.logger)
            _ = await reconciler.reconcile()
            #expect(store.tradingState.mode == .halted)
            #expect(store.tradingState.reason?.contains("FAILED_RECONCILIATION") == true)

            let controller = TradingController(store: store, reconciler: reconciler, logger: log.logger)
            guard case .stillHalted(let state, let failing) = await controller.resume() else {
                Issue.record("resume must not lift a failing reconciliation halt")
                return
            }
            #expect(state.mode == .halted)
            #expect(failing.count == 1 && failing[0].hasPrefix("FAILED_RECONCILIATION"))
            #expect(broker.calls.count >= 2)  // the reconciliation was run again

            broker.setUnreachable(false)
            #expect(await controller.resume() == .changed(store.tradingState))
            #expect(store.tradingState.mode == .active)
        }
    }

    /// A registered re-check (as the credential check will be) decides whether its halt is lifted.
    @Test func registeredRecheck() async throws {
        try await withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            try store.hold(.reconciliation, reason: "FAILED_RECONCILIATION: test")
            let passes = LockedBox(false)
            let controller = TradingController(
                store: store, logger: LogCapture().logger,
                rechecks: [.reconciliation: { passes.value ? nil : "still failing" }])
            guard case .stillHalted(let state, _) = await controller.resume() else {
                Issue.record("expected still halted")
                return
            }
            #expect(state.reason == "FAILED_RECONCILIATION: still failing")
            passes.value = true
            #expect(await controller.resume() == .changed(store.tradingState))
        }
    }

    /// Resume cannot lift the kill switch while its file exists; once removed, it can.
    @Test func killSwitchBlocksResume() async throws {
        try await withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            let log = LogCapture()
            try KillSwitch(store: store, logger: log.logger).engage()
            let controller = TradingController(store: store, logger: log.logger)
            guard case .stillHalted(let state, let failing) = await controller.resume() else {
                Issue.record("the kill switch must block resume")
                return
            }
            #expect(state.reason == KillSwitch.reason || state.reason?.contains("HALT") == true)
            #expect(failing.first?.contains("remove it to resume") == true)
            try FileManager.default.removeItem(atPath: directory + "/HALT")
            #expect(await controller.resume() == .changed(store.tradingState))
            #expect(store.tradingState.mode == .active)
        }
    }
}
