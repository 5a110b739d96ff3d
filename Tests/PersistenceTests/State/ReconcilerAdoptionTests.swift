import Foundation
import Logging
@testable import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

/// What reconciliation does with the orders it adopts: ends journaled once, open ones handed over to be
/// followed with their fills so far left to the settle, never-sent intents dropped and saved.
struct ReconcilerAdoptionTests {
    private let aapl = StateSamples.aapl

    private func intent(_ id: String, side: OrderSide = .buy, quantity: Decimal = 5) -> OrderIntent {
        OrderIntent(clientOrderID: id, symbol: aapl, side: side, quantity: quantity, limitPrice: 100, createdAt: StateSamples.start)
    }

    private func order(
        _ id: String, side: OrderSide = .buy, quantity: Decimal = 5, filled: Decimal = 0, price: Decimal? = nil, status: BrokerOrder.Status
    ) -> BrokerOrder {
        BrokerOrder(
            clientOrderID: id, brokerOrderID: "broker-\(id)", symbol: aapl, side: side, quantity: quantity, filledQuantity: filled,
            filledAveragePrice: price, limitPrice: 100, status: status)
    }

    /// A fill that ended while nobody followed it is journaled as a `filled` line marked adopted, an order
    /// that ended with no fill as `canceled`; a second reconciliation journals neither again.
    @Test func endedOrdersAreJournaledOnceMarkedAdopted() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let log = LogCapture()
            let store = try StateSamples.openStore(directory, clock: clock, log: log)
            let journal = try OrderJournal(path: directory + "/orders.jsonl", clock: clock, logger: log.logger)
            try store.update { state in
                state.recordIntent(intent("filled-1"))
                state.recordIntent(intent("canceled-2"))
            }
            let broker = InMemoryBroker(
                positions: [BrokerPosition(symbol: aapl, quantity: 5, averageEntryPrice: Decimal(string: "99.5")!)],
                orders: [
                    order("filled-1", filled: 5, price: Decimal(string: "99.5")!, status: .filled),
                    order("canceled-2", status: .canceled),
                ])
            let reconciler = Reconciler(store: store, broker: broker, clock: clock, journal: journal, logger: log.logger)
            #expect(await reconciler.reconcile().adoptedOrders == ["filled-1", "canceled-2"])
            #expect(await reconciler.reconcile().outcome == .reconciled)

            let entries = try journal.read().entries
            #expect(entries.count == 2, "\(entries.map(\.record.eventName))")
            let fill = OrderFill(clientOrderID: "filled-1", symbol: aapl, side: .buy, quantity: 5, price: Decimal(string: "99.5")!, isComplete: true)
            #expect(entries.first?.record == .adoptedFill(fill))
            if case .canceled(let ended)? = entries.last?.record {
                #expect(ended.clientOrderID == "canceled-2")
            } else {
                Issue.record("the canceled order is journaled as canceled: \(entries.map(\.record.eventName))")
            }
            let lines = try String(contentsOfFile: journal.path, encoding: .utf8).split(separator: "\n")
            #expect(lines.first?.contains(#""event":"filled""#) == true && lines.first?.contains(#""adopted":true"#) == true, "\(lines)")
            #expect(store.state.pendingIntents.isEmpty)
            #expect(reconciler.takeOrdersToFollow().isEmpty, "nothing open to follow")
        }
    }

    /// An adopted order still open is handed over to be followed, once; what of it has filled so far is
    /// left out of the positions (the settle applies it), so that fill is never counted twice.
    @Test func openOrderIsHandedOverWithItsFillLeftToTheSettle() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let log = LogCapture()
            let store = try StateSamples.openStore(directory, clock: clock, log: log)
            let journal = try OrderJournal(path: directory + "/orders.jsonl", clock: clock, logger: log.logger)
            try store.update { state in
                state.positions[aapl] = Position(symbol: aapl, quantity: 2, averageEntryPrice: 90, openedAt: StateSamples.start)
                state.recordIntent(intent("open-1"))
            }
            // The broker holds the 2 from before and 3 of the 5 bought at 100: 5 at 96.
            let partial = order("open-1", filled: 3, price: 100, status: .partiallyFilled)
            let broker = InMemoryBroker(positions: [BrokerPosition(symbol: aapl, quantity: 5, averageEntryPrice: 96)], orders: [partial])
            let reconciler = Reconciler(store: store, broker: broker, clock: clock, journal: journal, logger: log.logger)
            let report = await reconciler.reconcile()
            #expect(report.diffs.isEmpty, "the broker's position less the open order's fill is the local one: \(report.diffs)")
            #expect(store.state.positions[aapl]?.quantity == 2)
            #expect(store.state.pendingIntents.map(\.clientOrderID) == ["open-1"])
            #expect(reconciler.takeOrdersToFollow() == [AdoptedOrder(intent: intent("open-1"), order: partial)])
            #expect(reconciler.takeOrdersToFollow().isEmpty, "handed over once")
            #expect(try journal.read().entries.isEmpty, "nothing has ended")
        }
    }

    /// After a crash (no local position), an open buy's fill so far is left out: the position before it
    /// is none; a sell's is added back at the broker's average price.
    @Test func positionBeforeAnOpenFill() {
        let bought = order("b", filled: 3, price: 100, status: .partiallyFilled)
        #expect(Reconciler.excludingOpenFill(
            of: bought, intent: intent("b"), from: BrokerPosition(symbol: aapl, quantity: 3, averageEntryPrice: 100), local: nil) == nil)
        let sold = order("s", side: .sell, filled: 2, price: 110, status: .partiallyFilled)
        #expect(Reconciler.excludingOpenFill(
            of: sold, intent: intent("s", side: .sell), from: BrokerPosition(symbol: aapl, quantity: 3, averageEntryPrice: 95), local: nil)
            == BrokerPosition(symbol: aapl, quantity: 5, averageEntryPrice: 95))
        let grown = order("g", filled: 2, price: 110, status: .partiallyFilled)
        #expect(Reconciler.excludingOpenFill(
            of: grown, intent: intent("g"), from: BrokerPosition(symbol: aapl, quantity: 4, averageEntryPrice: 105), local: nil)
            == BrokerPosition(symbol: aapl, quantity: 2, averageEntryPrice: 100))
    }

    /// An order its follower settled while the broker was read keeps the local position of its symbol
    /// (the snapshot may predate its fill), and another reconciliation is asked for at once.
    @Test func orderSettledMeanwhileKeepsTheLocalPosition() {
        var state = PersistentState.empty(at: StateSamples.start)
        state.positions[aapl] = Position(symbol: aapl, quantity: 5, averageEntryPrice: 100, openedAt: StateSamples.start)
        let snapshot = BrokerSnapshot(
            account: AccountSnapshot(equity: 100_000, cash: 100_000, buyingPower: 200_000), positions: [], openOrders: [],
            resolved: [("gone-1", order("gone-1", status: .open))])
        let outcome = Reconciler.apply(snapshot, to: &state, now: StateSamples.start)
        #expect(state.positions[aapl]?.quantity == 5)
        #expect(outcome.lookAgain)
        #expect(outcome.diffs.isEmpty && outcome.adopted.isEmpty)
    }

    /// An adopted fill counts in the history rebuilt from the journal, as any fill does (cooldown, PnL).
    @Test func adoptedFillCountsInTheSignalHistory() {
        let bought = OrderFill(clientOrderID: "b", symbol: aapl, side: .buy, quantity: 5, price: 100, isComplete: true)
        let sold = OrderFill(clientOrderID: "s", symbol: aapl, side: .sell, quantity: 5, price: 102, isComplete: true)
        let later = StateSamples.start.advanced(by: .seconds(60))
        let history = SignalHistory(entries: [
            OrderJournalEntry(timestamp: StateSamples.start, record: .filled(bought)),
            OrderJournalEntry(timestamp: later, record: .adoptedFill(sold)),
        ])
        #expect(history.lastTradeAt[aapl] == later)
        #expect(history.realizedPnL == 10)
    }

    /// Intents the broker never received are dropped from the state, and the state without them is saved.
    @Test func neverSentIntentsAreDroppedAndSaved() async throws {
        try await withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            try store.update { state in
                state.recordIntent(intent("never-1"))
                state.recordIntent(intent("never-2"))
            }
            #expect(StateSamples.decodedState(in: directory)?.pendingIntents.count == 2)
            let reconciler = Reconciler(store: store, broker: InMemoryBroker(), clock: ManualClock(now: StateSamples.start), logger: LogCapture().logger)
            #expect(await reconciler.reconcile().droppedIntents == ["never-1", "never-2"])
            #expect(store.state.pendingIntents.isEmpty)
            #expect(StateSamples.decodedState(in: directory)?.pendingIntents.isEmpty == true, "saved without them")
        }
    }
}
