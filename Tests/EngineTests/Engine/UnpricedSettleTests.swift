@testable import Engine
import Foundation
import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

/// An order the broker says filled but gives no price for is never taken for a cancel.
struct UnpricedSettleTests {
    /// Settled with a fill and no price, the order stays pending for reconciliation (outcome unresolved),
    /// and no `canceled` line is journaled for it.
    @Test func filledWithoutPriceIsLeftToReconciliation() throws {
        try withTemporaryDirectory { directory in
            let fixture = try ExecutionFixture(directory: directory)
            let intent = OrderIntent(
                clientOrderID: "bw-unpriced", symbol: fixture.aapl, side: .buy, quantity: 5, limitPrice: 100, createdAt: fixture.clock.now)
            try fixture.store.update { $0.recordIntent(intent) }
            let order = BrokerOrder(
                clientOrderID: intent.clientOrderID, brokerOrderID: "b-1", symbol: fixture.aapl, side: .buy, quantity: 5, filledQuantity: 5,
                filledAveragePrice: nil, limitPrice: 100, status: .filled)
            let outcome = fixture.executor.settle(InFlightOrder(intent: intent, order: order, deadline: fixture.clock.now))
            guard case .unresolved = outcome else {
                Issue.record("settled as \(outcome)")
                return
            }
            #expect(fixture.store.state.pendingIntents.map(\.clientOrderID) == ["bw-unpriced"])
            #expect(try fixture.journal.read().entries.isEmpty)
            #expect(fixture.log.contains("filled without a price"))
        }
    }
}
