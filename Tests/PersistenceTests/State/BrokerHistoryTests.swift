import Foundation
import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

/// A state that lost its record of trades takes the cooldowns from the broker's order history at its
/// first reconciliation, so they are kept even when the order journal lost its lines.
struct BrokerHistoryTests {
    private let aapl = StateSamples.aapl
    private let msft = StateSamples.msft

    private func filled(_ id: String, _ symbol: Symbol, side: OrderSide = .buy, at time: Timestamp) -> BrokerOrder {
        BrokerOrder(
            clientOrderID: id, brokerOrderID: "b-\(id)", symbol: symbol, side: side, quantity: 5, filledQuantity: 5, filledAveragePrice: 100,
            status: .filled, filledAt: time)
    }

    /// A corrupt state file with an empty journal: the reconciliation reads the broker's closed orders once
    /// and keeps the newest fill time of each symbol Bulwark traded (an order not made by Bulwark, or
    /// canceled without a fill, moves no cooldown); a second reconciliation does not ask again.
    @Test func healedStateTakesCooldownsFromTheBroker() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let log = LogCapture()
            try Data("{ invalid json }".utf8).write(to: URL(fileURLWithPath: StateSamples.statePath(directory)))
            let store = try StateSamples.openStore(directory, clock: clock, log: log)
            #expect(store.brokerHistoryOwed)
            let bought = StateSamples.start.advanced(by: .seconds(-180))
            let sold = StateSamples.start.advanced(by: .seconds(-120))
            let broker = InMemoryBroker(orders: [
                filled("bw-1", aapl, at: bought),
                filled("bw-2", aapl, side: .sell, at: sold),
                filled("manual-3", msft, at: sold),
                BrokerOrder(clientOrderID: "bw-4", brokerOrderID: "b-4", symbol: msft, side: .buy, quantity: 5, status: .canceled),
            ])
            let reconciler = Reconciler(store: store, broker: broker, clock: clock, logger: log.logger)
            #expect(await reconciler.reconcile().outcome == .reconciled)
            #expect(store.state.lastTradeAt == [aapl: sold])
            #expect(!store.brokerHistoryOwed)
            #expect(log.contains("cooldowns and alerts acted on rebuilt from the broker's order history"))
            // Saved: a fresh load keeps it.
            #expect(try StateSamples.openStore(directory, clock: clock).state.lastTradeAt == [aapl: sold])
            _ = await reconciler.reconcile()
            #expect(broker.calls.filter { $0 == "closedOrders" }.count == 1)
        }
    }

    /// State and journal both lost: the alerts that Bulwark's orders at the broker name (in their client order
    /// ids) are marked processed, whether the order filled or was canceled, so none of them is acted on again.
    @Test func healedStateTakesAlertsActedOnFromTheBroker() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            try Data("{ invalid json }".utf8).write(to: URL(fileURLWithPath: StateSamples.statePath(directory)))
            let store = try StateSamples.openStore(directory, clock: clock)
            let entry = OrderIntent.newClientOrderID(alertID: "896411c2-aaaa-4bbb-8ccc-000000000001")
            let canceled = OrderIntent.newClientOrderID(alertID: "bf1691ac-aaaa-4bbb-8ccc-000000000002")
            let broker = InMemoryBroker(orders: [
                filled(entry, aapl, at: StateSamples.start.advanced(by: .seconds(-60))),
                BrokerOrder(clientOrderID: canceled, brokerOrderID: "b-c", symbol: msft, side: .buy, quantity: 5, status: .canceled),
                filled(OrderIntent.newClientOrderID(), aapl, side: .sell, at: StateSamples.start.advanced(by: .seconds(-30))),
            ])
            #expect(await Reconciler(store: store, broker: broker, clock: clock, logger: LogCapture().logger).reconcile().outcome == .reconciled)
            #expect(store.state.processedSignalIDs == ["896411c2-aaaa-4bbb-8ccc-000000000001", "bf1691ac-aaaa-4bbb-8ccc-000000000002"])
            #expect(try StateSamples.openStore(directory, clock: clock).state.processedSignalIDs.count == 2)
        }
    }

    /// A client order id carries its alert and gives it back; one without an alert, another's order, or an
    /// alert id with characters a client order id cannot carry names none (never a different alert).
    @Test func clientOrderIDNamesItsAlert() {
        let id = OrderIntent.newClientOrderID(alertID: "e3d82fd2-7aac-422e-9909-d7f6133b9f36")
        #expect(id.count <= 128)
        #expect(OrderIntent.isBulwarks(id))
        #expect(OrderIntent.alertID(inClientOrderID: id) == "e3d82fd2-7aac-422e-9909-d7f6133b9f36")
        #expect(OrderIntent.alertID(inClientOrderID: OrderIntent.newClientOrderID()) == nil)
        #expect(OrderIntent.alertID(inClientOrderID: "manual-1-afoo") == nil)
        #expect(OrderIntent.alertID(inClientOrderID: OrderIntent.newClientOrderID(alertID: "a b")) == nil)
        #expect(OrderIntent.alertID(inClientOrderID: OrderIntent.newClientOrderID(alertID: String(repeating: "x", count: 65))) == nil)
    }

    /// A state loaded whole owes nothing: the broker's history is not read.
    @Test func loadedStateDoesNotAsk() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let first = try StateSamples.openStore(directory, clock: clock)
            try first.update { $0.realizedPnL = 1 }
            let store = try StateSamples.openStore(directory, clock: clock)
            #expect(!store.brokerHistoryOwed)
            let broker = InMemoryBroker(orders: [filled("bw-1", aapl, at: StateSamples.start)])
            _ = await Reconciler(store: store, broker: broker, clock: clock, logger: LogCapture().logger).reconcile()
            #expect(!broker.calls.contains("closedOrders"))
            #expect(store.state.lastTradeAt.isEmpty)
        }
    }
}
