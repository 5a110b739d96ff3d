@testable import Engine
import Foundation
import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

/// Cooldowns survive a journal that lost its lines: the broker's order history keeps them.
struct BrokerHistoryCooldownTests {
    /// The state and the journal both lost (a fresh start), the broker remembers AAPL bought and sold 2 and
    /// 3 minutes ago: after start-up a call alert on AAPL buys nothing (cooldown 5 min), one on MSFT buys.
    @Test func cooldownKeptFromTheBrokersHistory() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            let now = setup.clock.now
            setup.broker.setOrders([
                BrokerOrder(
                    clientOrderID: "bw-bought", brokerOrderID: "b-1", symbol: setup.aapl, side: .buy, quantity: 4, filledQuantity: 4,
                    filledAveragePrice: 100, status: .filled, filledAt: now.advanced(by: .seconds(-180))),
                BrokerOrder(
                    clientOrderID: "bw-sold", brokerOrderID: "b-2", symbol: setup.aapl, side: .sell, quantity: 4, filledQuantity: 4,
                    filledAveragePrice: 101, status: .filled, filledAt: now.advanced(by: .seconds(-120))),
            ])
            await setup.engine.start()
            #expect(setup.store.state.lastTradeAt[setup.aapl] == now.advanced(by: .seconds(-120)))
            setup.flow.add(setup.signal("alert-aapl"))
            setup.flow.add(setup.signal("alert-msft", symbol: setup.msft))
            try await setup.pollAndTick()
            #expect(setup.router.submitted.map(\.symbol) == [setup.msft], "\(setup.router.submitted)")
        }
    }
}
