import Foundation
@testable import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

/// Adopted fills are published like any other fill, and a fill without a price is journaled, not skipped.
struct AdoptedFillRecordTests {
    private let aapl = StateSamples.aapl

    private func intent(_ id: String) -> OrderIntent {
        OrderIntent(clientOrderID: id, symbol: aapl, side: .buy, quantity: 5, limitPrice: 100, createdAt: StateSamples.start)
    }

    /// Each fill reconciliation adopts is published once as an `orderFilled` event marked adopted (a
    /// second reconciliation publishes none), and logged.
    @Test func adoptedFillsArePublishedOnce() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let log = LogCapture()
            let bus = EventBus(clock: clock)
            let events = bus.subscribe(name: "test", bufferSize: 1000)
            let store = try StateSamples.openStore(directory, clock: clock, log: log)
            let journal = try OrderJournal(path: directory + "/orders.jsonl", clock: clock, logger: log.logger)
            try store.update { state in
                state.recordIntent(intent("filled-1"))
                state.recordIntent(intent("filled-2"))
            }
            let broker = InMemoryBroker(
                positions: [BrokerPosition(symbol: aapl, quantity: 10, averageEntryPrice: 99)],
                orders: ["filled-1", "filled-2"].map { id in
                    BrokerOrder(
                        clientOrderID: id, brokerOrderID: "b-\(id)", symbol: aapl, side: .buy, quantity: 5, filledQuantity: 5,
                        filledAveragePrice: 99, limitPrice: 100, status: .filled)
                })
            let reconciler = Reconciler(store: store, broker: broker, clock: clock, bus: bus, journal: journal, logger: log.logger)
            _ = await reconciler.reconcile()
            _ = await reconciler.reconcile()
            bus.finish()
            var fills: [OrderFill] = []
            for await event in events { if case .orderFilled(let fill) = event.kind { fills.append(fill) } }
            #expect(fills.map(\.clientOrderID) == ["filled-1", "filled-2"])
            #expect(fills.allSatisfy { $0.adopted && $0.price == 99 && $0.quantity == 5 })
            #expect(log.contains("a fill found by reconciliation is adopted"))
        }
    }

    /// A fill the broker reports without a price is journaled as `filled` with the price unknown (and
    /// adopted), reads back as such, and counts as a trade for the symbol's cooldown.
    @Test func unpricedFillIsJournaled() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let log = LogCapture()
            let store = try StateSamples.openStore(directory, clock: clock, log: log)
            let journal = try OrderJournal(path: directory + "/orders.jsonl", clock: clock, logger: log.logger)
            try store.update { $0.recordIntent(intent("filled-1")) }
            let broker = InMemoryBroker(
                positions: [BrokerPosition(symbol: aapl, quantity: 5, averageEntryPrice: 99)],
                orders: [
                    BrokerOrder(
                        clientOrderID: "filled-1", brokerOrderID: "b-1", symbol: aapl, side: .buy, quantity: 5, filledQuantity: 5,
                        filledAveragePrice: nil, limitPrice: 100, status: .filled)
                ])
            let reconciler = Reconciler(store: store, broker: broker, clock: clock, journal: journal, logger: log.logger)
            #expect(await reconciler.reconcile().adoptedOrders == ["filled-1"])
            let entries = try journal.read().entries
            #expect(
                entries.map(\.record)
                    == [.unpricedFill(UnpricedFill(clientOrderID: "filled-1", symbol: aapl, side: .buy, quantity: 5, isComplete: true, adopted: true))])
            let line = try String(contentsOfFile: journal.path, encoding: .utf8)
            #expect(line.contains(#""event":"filled""#) && line.contains(#""price":null,"price_unknown":true"#) && line.contains(#""adopted":true"#), "\(line)")
            #expect(journal.signalHistory().lastTradeAt[aapl] == StateSamples.start)
            #expect(log.contains("journaled with the price unknown"))
        }
    }
}
