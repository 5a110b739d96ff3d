@testable import Engine
import Foundation
@testable import Persistence
@testable import Primitives
import TestSupport
import Testing
@testable import TradingModel

/// After a crash the record is complete: an open order reconciliation adopts is followed like any other,
/// and a fill is applied and journaled once whichever of the follower and reconciliation sees it first.
struct AdoptedOrderTests {
    /// A buy of 5 AAPL sent a second before the crash, still open at the broker (and the router).
    private static func crashedWithAnOpenOrder(_ setup: EngineFixture) throws -> BrokerOrder {
        let sent = OrderIntent(
            clientOrderID: "bw-before-crash", symbol: setup.aapl, side: .buy, quantity: 5, limitPrice: 100,
            createdAt: setup.clock.now.advanced(by: .seconds(-1)))
        try setup.store.update { $0.recordIntent(sent) }
        let open = BrokerOrder(
            clientOrderID: sent.clientOrderID, brokerOrderID: "mem-crash", symbol: setup.aapl, side: .buy, quantity: 5, limitPrice: 100,
            status: .open)
        setup.broker.setOrders([open])
        setup.router.place(open)
        return open
    }

    private static func filledLines(_ setup: EngineFixture) throws -> [OrderJournalEntry.Record] {
        try setup.journal().map(\.record).filter { $0.eventName == "filled" }
    }

    /// A resting order adopted at start is followed, and canceled by the same timeout rule as any other;
    /// its intent leaves the state and its end is journaled.
    @Test func adoptedRestingOrderIsCanceledAtItsDeadline() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            _ = try Self.crashedWithAnOpenOrder(setup)
            setup.router.setBehaviour(.rest, for: setup.aapl)
            await setup.engine.start()
            #expect(setup.engine.follower.isInFlight(setup.aapl), "the adopted order is followed")

            let engine = setup.engine
            try await drive(setup.clock) { await engine.followOrdersInFlight() }
            #expect(setup.router.canceled == ["mem-crash"])
            #expect(setup.store.state.pendingIntents.isEmpty)
            #expect(try setup.journal().map(\.record.eventName) == ["canceled"])
            #expect(!setup.engine.follower.isInFlight(setup.aapl))
        }
    }

    /// An adopted order that fills is settled into the state by its follower and journaled once; a later
    /// reconciliation, the broker now saying it filled, journals nothing more.
    @Test func adoptedOrderThatFillsIsSettledOnce() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            let open = try Self.crashedWithAnOpenOrder(setup)
            await setup.engine.start()
            let engine = setup.engine
            try await drive(setup.clock) { await engine.followOrdersInFlight() }
            #expect(setup.store.state.positions[setup.aapl]?.quantity == 5)
            #expect(setup.store.state.pendingIntents.isEmpty)

            var filled = open
            (filled.status, filled.filledQuantity, filled.filledAveragePrice) = (.filled, 5, 100)
            setup.broker.setOrders([filled])
            setup.broker.setPositions([BrokerPosition(symbol: setup.aapl, quantity: 5, averageEntryPrice: 100)])
            _ = await setup.engine.parts.reconciler.reconcile()
            let fills = try Self.filledLines(setup)
            #expect(fills.count == 1, "\(fills)")
            #expect(setup.store.state.positions[setup.aapl]?.quantity == 5)
        }
    }

    /// Reconciliation finds an order in flight already filled: it takes the broker's position and journals
    /// the fill, marked adopted; when the follower then sees the fill, it applies and journals nothing more.
    @Test func reconciliationFirstThenTheFollowerAppliesNothingTwice() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            await setup.engine.start()
            setup.router.setBehaviour(.rest, for: setup.aapl)
            setup.flow.add(setup.signal("alert-1"))
            try await setup.feed.poll()
            let engine = setup.engine
            try await drive(setup.clock) { await engine.tick() }
            let intent = try #require(setup.router.submitted.first)
            #expect(setup.engine.follower.isInFlight(setup.aapl))

            setup.broker.setOrders([
                BrokerOrder(
                    clientOrderID: intent.clientOrderID, brokerOrderID: "mem-1", symbol: setup.aapl, side: .buy, quantity: intent.quantity,
                    filledQuantity: intent.quantity, filledAveragePrice: 100, limitPrice: intent.limitPrice, status: .filled)
            ])
            setup.broker.setPositions([BrokerPosition(symbol: setup.aapl, quantity: intent.quantity, averageEntryPrice: 100)])
            #expect(await setup.engine.parts.reconciler.reconcile().adoptedOrders == [intent.clientOrderID])

            setup.router.setBehaviour(.fill(at: 100), for: setup.aapl)
            try await drive(setup.clock) { await engine.followOrdersInFlight() }
            let fills = try Self.filledLines(setup)
            #expect(fills.count == 1, "\(fills)")
            if case .adoptedFill(let fill)? = fills.first {
                #expect(fill.clientOrderID == intent.clientOrderID && fill.quantity == intent.quantity)
            } else {
                Issue.record("the fill reconciliation found is journaled, marked adopted: \(fills)")
            }
            #expect(setup.store.state.positions[setup.aapl]?.quantity == intent.quantity, "the fill is counted once")
        }
    }
}
