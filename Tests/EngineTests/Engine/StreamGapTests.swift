@testable import Engine
import Foundation
@testable import Persistence
@testable import Primitives
@testable import Strategies
import Supervision
import TestSupport
import Testing
@testable import TradingModel

/// Across a trading-stream gap (`stream_drop`, a silent or dropped connection) no order's end is taken
/// from the stream alone: while it is down the broker is asked over REST, and after it comes back the
/// orders in flight are reconciled over REST before anything pushed is trusted — and what was pushed
/// before the gap never is.
struct StreamGapTests {
    /// A resting order through a drop: a push claiming a fill while the stream is down is not taken (the
    /// broker, asked over REST, says it still rests); after the reconnection a REST round comes first
    /// (DEGRADED until it answered), the push from before the gap is still not taken, and only a fill
    /// pushed on the new connection settles the order — at that push's price, with no REST poll.
    @Test func nothingLearnedFromAStaleStream() async throws {
        try await withTemporaryDirectory { directory in
            let parts = try ExecutionFixture(directory: directory, followTimeout: .seconds(30))
            let registry = HealthRegistry(services: [(.tradeStream, false)], path: nil, clock: parts.clock, bus: nil, logger: parts.log.logger)
            let updates = OrderUpdates(health: registry, logger: parts.log.logger)
            let follower = OrderFollower(executor: parts.executor, clock: parts.clock, logger: parts.log.logger, updates: updates)
            let aapl = parts.aapl
            parts.router.setBehaviour(.rest)
            updates.streamListening()
            let market = MarketSnapshot(
                account: AccountSnapshot(equity: 100_000, cash: 100_000, buyingPower: 100_000),
                quotes: [aapl: Quote(symbol: aapl, bid: Decimal(string: "99.99")!, ask: Decimal(string: "100.01")!, timestamp: parts.clock.now)])
            guard case .inFlight(let flight) = await parts.executor.send(.enter(symbol: aapl, quantity: 2, limitPrice: 100, reason: "test"), market: market)
            else {
                Issue.record("the entry did not rest")
                return
            }
            follower.track(flight)
            await follower.followOnce()
            #expect(updates.isLive)
            func filled(at price: Decimal) -> BrokerOrder {
                var order = flight.order
                order.status = .filled
                order.filledQuantity = order.quantity
                order.filledAveragePrice = price
                return order
            }

            // Down: a push is not taken; the broker is asked, and the order still rests.
            updates.streamDown(reason: "chaos stream_drop: the trading stream connection was dropped")
            updates.received(filled(at: 99))
            var lookups = parts.router.lookups
            #expect(await follower.followOnce().isEmpty)
            #expect(parts.router.lookups == lookups + 1, "down: asked over REST")
            #expect(follower.isInFlight(aapl) && parts.store.state.positions[aapl] == nil, "not settled from the push")

            // Back: reconciled over REST before the stream is trusted; the push from before is dropped.
            updates.streamListening()
            #expect(registry.service(.tradeStream)?.status == .degraded)
            lookups = parts.router.lookups
            #expect(await follower.followOnce().isEmpty)
            #expect(parts.router.lookups == lookups + 1, "reconnected: the order reconciled over REST first")
            #expect(updates.isLive && registry.service(.tradeStream)?.status == .ok)
            #expect(await follower.followOnce().isEmpty, "live: the push from before the gap is not taken")
            #expect(follower.isInFlight(aapl) && parts.store.state.positions[aapl] == nil)

            // A fill pushed on the new connection is taken, without asking the broker.
            updates.received(filled(at: 100))
            lookups = parts.router.lookups
            let outcomes = await follower.followOnce()
            guard case .filled(let order) = outcomes.first else {
                Issue.record("the pushed fill was not settled: \(outcomes)")
                return
            }
            #expect(order.filledAveragePrice == 100 && parts.router.lookups == lookups)
            #expect(parts.store.state.positions[aapl]?.averageEntryPrice == 100)
        }
    }
}
