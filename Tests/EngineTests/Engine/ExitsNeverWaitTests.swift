@testable import Engine
import Foundation
@testable import Persistence
@testable import Primitives
@testable import Strategies
import Synchronization
import TestSupport
import Testing
@testable import TradingModel

/// Orders in flight are followed alongside the loop: a resting entry holds up no exit, and a symbol
/// with an order in flight gets no second one.
struct ExitsNeverWaitTests {
    /// MSFT held 4 at 100 (adopted from the broker at start); AAPL's orders rest, MSFT's fill at 95.
    private static func setup(directory: String, followTimeout: Duration = .seconds(2)) async throws -> EngineFixture {
        let setup = try EngineFixture(directory: directory, followTimeout: followTimeout)
        setup.broker.setPositions([BrokerPosition(symbol: setup.msft, quantity: 4, averageEntryPrice: 100)])
        setup.router.setBehaviour(.rest, for: setup.aapl)
        setup.router.setBehaviour(.fill(at: 95), for: setup.msft)
        await setup.engine.start()
        #expect(setup.store.state.positions[setup.msft]?.quantity == 4)
        return setup
    }

    /// One tick, without following the orders it leaves in flight.
    private static func tickOnly(_ setup: EngineFixture) async throws {
        let engine = setup.engine
        try await drive(setup.clock) { await engine.tick() }
    }

    private static func stopLoss(_ setup: EngineFixture) {
        setup.quotes.set(setup.msft, bid: 95, ask: Decimal(string: "95.02")!)
    }

    /// A stop loss on MSFT is sent on the next tick while an entry on AAPL still rests (not canceled);
    /// the entry is canceled later at its deadline, as before, and the stop loss's fill is applied.
    @Test func stopLossGoesWhileAnEntryRests() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try await Self.setup(directory: directory)
            setup.flow.add(setup.signal("alert-1"))
            try await setup.feed.poll()
            try await Self.tickOnly(setup)
            #expect(setup.router.submitted.map(\.symbol) == [setup.aapl])
            #expect(setup.router.canceled.isEmpty, "the tick did not wait for the entry to rest out its timeout")

            Self.stopLoss(setup)
            setup.clock.advance(by: .seconds(1))
            try await Self.tickOnly(setup)
            let sent = setup.router.submitted
            #expect(sent.map(\.symbol) == [setup.aapl, setup.msft], "\(sent)")
            #expect(sent.last?.side == .sell && sent.last?.closeRule == .stopLoss)
            #expect(setup.router.canceled.isEmpty, "the entry on AAPL still rests")
            #expect(setup.engine.follower.isInFlight(setup.aapl))

            let engine = setup.engine
            try await drive(setup.clock) { await engine.followOrdersInFlight() }
            #expect(setup.router.canceled.count == 1, "the resting entry is canceled at its deadline")
            #expect(setup.store.state.positions[setup.msft] == nil)
            #expect(setup.store.state.positions[setup.aapl] == nil)
            #expect(setup.store.state.pendingIntents.isEmpty)
            let events = try setup.journal().map(\.record.eventName)
            #expect(events.filter { $0 == "filled" }.count == 1 && events.filter { $0 == "canceled" }.count == 1, "\(events)")
        }
    }

    /// While an entry on AAPL rests, a second call alert on AAPL sends no second order; once the first
    /// has ended (canceled at its deadline), an alert on AAPL is acted on again.
    @Test func oneOrderPerSymbol() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try await Self.setup(directory: directory)
            setup.flow.add(setup.signal("alert-1"))
            try await setup.feed.poll()
            try await Self.tickOnly(setup)
            setup.clock.advance(by: .seconds(1))
            setup.flow.add(setup.signal("alert-2"))
            try await setup.feed.poll()
            try await Self.tickOnly(setup)
            #expect(setup.router.submitted.count == 1, "no second order for AAPL: \(setup.router.submitted)")
            #expect(setup.parts.log.contains("action waits: an order for this symbol is in flight"))

            let engine = setup.engine
            try await drive(setup.clock) { await engine.followOrdersInFlight() }
            #expect(!setup.engine.follower.isInFlight(setup.aapl))
            setup.flow.add(setup.signal("alert-3"))
            try await setup.feed.poll()
            try await Self.tickOnly(setup)
            #expect(setup.router.submitted.count == 2)
        }
    }

    /// Running as a service, the engine's follower is a child task: the stop loss on MSFT reaches the
    /// broker while the AAPL entry rests, the entry is canceled at its 30 s deadline meanwhile, and a stop
    /// (no new order, then cancellation) ends both the loop and the follower.
    @Test func followerRunsAlongsideTheLoop() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try await Self.setup(directory: directory, followTimeout: .seconds(30))
            let (router, quotes, msft) = (setup.router, setup.quotes, setup.msft)
            // When the MSFT exit reaches the broker: how many orders had been canceled by then.
            let canceledAtExit = Mutex<Int?>(nil)
            router.afterSubmit { intent in
                if intent.symbol == msft {
                    canceledAtExit.withLock { $0 = router.canceled.count }
                } else {
                    quotes.set(msft, bid: 95, ask: Decimal(string: "95.02")!)
                }
            }
            setup.flow.add(setup.signal("alert-1"))
            try await setup.feed.poll()
            let (engine, clock, store) = (setup.engine, setup.clock, setup.store)
            // Time moves only while both the loop and the follower sleep: a follower woken but not yet run
            // is never overtaken (the resting MSFT exit would pass its deadline unasked).
            try await drive(clock, sleepers: 2) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await engine.run() }
                    // Waits for the exit and the entry's end, in real time (not a sleeper of the manual clock).
                    while router.canceled.isEmpty || store.state.positions[msft] != nil {
                        try await Task.sleep(for: .milliseconds(2))
                    }
                    // Stopped as its supervisor stops it: no new order, then the task cancelled (the loop's
                    // wait between ticks ends at once, with no clock advance left to wait for).
                    engine.stopSending()
                    group.cancelAll()
                    try await group.waitForAll()
                }
            }
            #expect(canceledAtExit.withLock { $0 } == 0, "the stop loss was sent before the resting entry ended")
            #expect(router.canceled.count == 1, "canceled: \(router.canceled); log: \(setup.parts.log.lines.suffix(30).map(\.description).joined(separator: "\n"))")
            #expect(engine.follower.inFlight.isEmpty)
            #expect(store.state.pendingIntents.isEmpty)
        }
    }
}
