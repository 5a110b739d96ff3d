@testable import Engine
import Foundation
@testable import Persistence
@testable import Primitives
@testable import Strategies
import Supervision
import TestSupport
import Testing
@testable import TradingModel

/// The follower learns an order's end from the trading stream while it is live, asks the broker over
/// REST while it is down, and trusts it again only after a REST round over every order in flight.
struct StreamFollowTests {
    private struct Setup {
        let parts: ExecutionFixture
        let registry: HealthRegistry
        let updates: OrderUpdates
        let follower: OrderFollower

        init(directory: String) throws {
            parts = try ExecutionFixture(directory: directory, followTimeout: .seconds(30))
            registry = HealthRegistry(services: [(.tradeStream, false)], path: nil, clock: parts.clock, bus: nil, logger: parts.log.logger)
            updates = OrderUpdates(health: registry, logger: parts.log.logger)
            follower = OrderFollower(executor: parts.executor, clock: parts.clock, logger: parts.log.logger, updates: updates)
        }

        var health: ServiceHealth? { registry.service(.tradeStream) }

        /// An entry on AAPL sent and resting at the broker, followed.
        func sendResting() async throws -> InFlightOrder {
            parts.router.setBehaviour(.rest)
            let aapl = parts.aapl
            let market = MarketSnapshot(
                account: AccountSnapshot(equity: 100_000, cash: 100_000, buyingPower: 100_000),
                quotes: [aapl: Quote(symbol: aapl, bid: Decimal(string: "99.99")!, ask: Decimal(string: "100.01")!, timestamp: parts.clock.now)])
            guard case .inFlight(let flight) = await parts.executor.send(.enter(symbol: aapl, quantity: 2, limitPrice: 100, reason: "test"), market: market)
            else {
                Issue.record("the entry did not rest")
                throw CancellationError()
            }
            follower.track(flight)
            return flight
        }

        func filled(_ flight: InFlightOrder, at price: Decimal) -> BrokerOrder {
            var order = flight.order
            order.status = .filled
            order.filledQuantity = order.quantity
            order.filledAveragePrice = price
            return order
        }
    }

    /// Once the stream is live, a round asks the broker nothing, and a fill pushed on the stream is
    /// applied (position saved, order settled) without a REST order poll.
    @Test func fillLearnedFromTheStream() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            setup.updates.streamListening()
            let flight = try await setup.sendResting()
            await setup.follower.followOnce()
            #expect(setup.parts.router.lookups == 1, "the reconciling round asks the broker once")
            #expect(setup.updates.isLive && setup.health?.status == .ok)

            await setup.follower.followOnce()
            #expect(setup.parts.router.lookups == 1, "a live round asks the broker nothing")
            setup.updates.received(setup.filled(flight, at: Decimal(string: "99.5")!))
            let outcomes = await setup.follower.followOnce()
            #expect(outcomes.count == 1)
            guard case .filled = outcomes.first else {
                Issue.record("not filled: \(outcomes)")
                return
            }
            #expect(setup.parts.router.lookups == 1, "the fill came from the stream, not a REST poll")
            #expect(setup.parts.store.state.positions[setup.parts.aapl]?.quantity == 2)
            #expect(setup.follower.inFlight.isEmpty && setup.parts.store.state.pendingIntents.isEmpty)
        }
    }

    /// A drop makes `trade-stream` DEGRADED with its reason and the follower asks over REST (a fill is
    /// learned there); once listening again it stays DEGRADED until a REST round answered for every order
    /// in flight, then it is OK and live.
    @Test func dropFallsBackToRESTThenReconciles() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            setup.updates.streamListening()
            let first = try await setup.sendResting()
            await setup.follower.followOnce()
            #expect(setup.updates.isLive)

            setup.updates.streamDown(reason: "the trading stream closed the connection")
            #expect(setup.health?.status == .degraded)
            #expect(setup.health?.detail?.contains("the trading stream closed the connection") == true, "\(String(describing: setup.health?.detail))")
            setup.parts.router.setBehaviour(.fill(at: 100))
            let outcomes = await setup.follower.followOnce()
            #expect(setup.parts.router.lookups == 2, "down: the order is asked about over REST")
            guard case .filled(let order) = outcomes.first, order.brokerOrderID == first.order.brokerOrderID else {
                Issue.record("the fill was not learned over REST: \(outcomes)")
                return
            }

            // Back: a second order in flight is asked about once over REST before the stream is trusted.
            setup.parts.clock.advance(by: .seconds(600))
            _ = try await setup.sendResting()
            setup.updates.streamListening()
            #expect(setup.health?.status == .degraded && setup.health?.detail?.contains("reconciling") == true)
            #expect(!setup.updates.isLive)
            let before = setup.parts.router.lookups
            await setup.follower.followOnce()
            #expect(setup.parts.router.lookups == before + 1, "the reconciliation asked the broker")
            #expect(setup.updates.isLive && setup.health?.status == .ok)
            await setup.follower.followOnce()
            #expect(setup.parts.router.lookups == before + 1, "live again: no REST poll")
        }
    }

    /// A reconciling round that could not reach the broker leaves the stream untrusted (DEGRADED).
    @Test func failedReconciliationKeepsTheStreamUntrusted() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            _ = try await setup.sendResting()
            setup.updates.streamListening()
            setup.parts.router.setLookupsFail(true)
            await setup.follower.followOnce()
            #expect(!setup.updates.isLive && setup.health?.status == .degraded)
            setup.parts.router.setLookupsFail(false)
            await setup.follower.followOnce()
            #expect(setup.updates.isLive && setup.health?.status == .ok)
        }
    }

    /// While the stream is live the running follower looks at its orders every 10 ms, asking the broker
    /// nothing: a pushed fill is settled without waiting out the REST interval (100 ms here).
    @Test func runningFollowerSettlesAPushedFillWithinALiveInterval() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            setup.updates.streamListening()
            let flight = try await setup.sendResting()
            await setup.follower.followOnce()
            #expect(setup.updates.isLive)
            let lookups = setup.parts.router.lookups
            let settled = LockedBox<Int>(0)
            let follower = setup.follower
            let task = Task { await follower.run { _ in settled.withLock { $0 += 1 } } }
            defer { task.cancel() }
            #expect(await setup.parts.clock.waitForSleepers(1))
            setup.updates.received(setup.filled(flight, at: 100))
            setup.parts.clock.advance(by: .milliseconds(10))
            let deadline = ContinuousClock.now + .seconds(10)
            while settled.value == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(settled.value == 1, "the pushed fill was settled after one live interval")
            #expect(setup.parts.router.lookups == lookups, "no REST poll")
            task.cancel()
            await task.value
        }
    }
}
