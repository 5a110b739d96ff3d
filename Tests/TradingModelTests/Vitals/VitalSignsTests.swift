import Foundation
import Primitives
import TestSupport
import Testing
import TradingModel

/// The vital signs' own arithmetic: what the bus tells folds into money, exposure and open orders; the
/// call window gives latency percentiles and errors over the last minute only.
struct VitalSignsTests {
    private static let start = Timestamp.seconds(1_780_000_000)
    private static let aapl = Symbol("AAPL")!
    private static let msft = Symbol("MSFT")!

    private static func event(_ kind: EventKind, at offset: Int64 = 0) -> Event {
        Event(sequence: 1, timestamp: start.advanced(by: .seconds(offset)), kind: kind)
    }

    /// Account figures pass through; unrealised PnL and exposure are worked out at the latest prices (the
    /// entry price before any quote), short positions included; a closed position leaves both.
    @Test func moneyAndExposure() {
        var tally = VitalSignsTally()
        tally.fold(Self.event(.account(AccountSnapshot(equity: 10_000, cash: 4_000, buyingPower: 8_000))))
        tally.fold(Self.event(.positionOpened(Position(symbol: Self.aapl, quantity: 10, averageEntryPrice: 100, openedAt: Self.start))))
        tally.fold(Self.event(.positionOpened(Position(symbol: Self.msft, quantity: -5, averageEntryPrice: 200, openedAt: Self.start))))
        tally.fold(Self.event(.quotes([Quote(symbol: Self.aapl, bid: Decimal(string: "101.99")!, ask: Decimal(string: "102.01")!, timestamp: Self.start)]), at: 7))
        var vitals = tally.vitals(readings: .init(realizedToday: 3, realizedTotal: 9), exposureLimit: Decimal(string: "0.30")!)
        #expect(vitals.equity == 10_000)
        #expect(vitals.cash == 4_000)
        #expect(vitals.buyingPower == 8_000)
        #expect(vitals.unrealized == 20)  // (102 - 100) × 10, MSFT still at its entry
        #expect(vitals.exposure == 2_020)  // 10 × 102 + 5 × 200
        #expect(vitals.exposureFraction == Decimal(string: "0.202")!)
        #expect(vitals.exposureLimit == Decimal(string: "0.30")!)
        #expect(vitals.realizedToday == 3)
        #expect(vitals.realizedTotal == 9)
        #expect(vitals.lastQuote == Self.start.advanced(by: .seconds(7)))
        tally.fold(Self.event(.positionClosed(PositionClose(symbol: Self.aapl, closedQuantity: 10, exitPrice: 102, realizedPnL: 20))))
        vitals = tally.vitals(readings: .init(), exposureLimit: Decimal(string: "0.30")!)
        #expect(vitals.unrealized == 0)
        #expect(vitals.exposure == 1_000)
    }

    /// An order is open from its intent (pending, with its limit) through submission and partial fills,
    /// and leaves on a complete fill, a broker rejection or a reconciliation that dropped its intent.
    @Test func openOrdersFollowTheirLifecycle() {
        var tally = VitalSignsTally()
        func intent(_ id: String, limit: Decimal?) -> EventKind {
            .orderIntent(OrderIntent(clientOrderID: id, symbol: Self.aapl, side: .buy, quantity: 2, limitPrice: limit, createdAt: Self.start))
        }
        tally.fold(Self.event(intent("a", limit: 101)))
        tally.fold(Self.event(intent("b", limit: nil)))
        tally.fold(Self.event(intent("c", limit: 99)))
        tally.fold(Self.event(.orderSubmitted(OrderSubmission(clientOrderID: "a", brokerOrderID: "x", symbol: Self.aapl, side: .buy, quantity: 2))))
        tally.fold(Self.event(.orderFilled(OrderFill(clientOrderID: "b", symbol: Self.aapl, side: .buy, quantity: 1, price: 100, isComplete: false))))
        var orders = tally.vitals(readings: .init(), exposureLimit: 0).openOrders
        #expect(orders.map(\.clientOrderID) == ["a", "b", "c"])
        #expect(orders.map(\.status) == [.submitted, .partiallyFilled, .pending])
        #expect(orders.map(\.limitPrice) == [101, nil, 99])
        tally.fold(Self.event(.orderFilled(OrderFill(clientOrderID: "b", symbol: Self.aapl, side: .buy, quantity: 1, price: 100, isComplete: true))))
        tally.fold(Self.event(.orderRejected(OrderRejection(clientOrderID: "a", symbol: Self.aapl, side: .buy, reason: "canceled"))))
        tally.fold(Self.event(.reconciliation(ReconciliationReport(outcome: .reconciled, droppedIntents: ["c"])), at: 30))
        orders = tally.vitals(readings: .init(), exposureLimit: 0).openOrders
        #expect(orders.isEmpty)
        #expect(tally.lastReconciliation == Self.start.advanced(by: .seconds(30)))
    }

    /// p50 and p99 over the attempts of the last minute, failures counted as errors; older attempts
    /// leave the window, while the last success is kept; an API never called is listed with no figures.
    @Test func callWindowPercentilesAndErrors() {
        let window = APICallWindow()
        for millisecond in 1...100 {
            window.record(api: "alpaca", latency: .milliseconds(millisecond), failed: millisecond > 97, at: Self.start)
        }
        window.record(api: "unusual-whales", latency: .milliseconds(5), failed: false, at: Self.start)
        var vitals = window.vitals(at: Self.start.advanced(by: .seconds(30)))
        #expect(vitals.map(\.api) == ["alpaca", "alpaca-data", "unusual-whales"])
        #expect(vitals[0].calls == 100)
        #expect(vitals[0].errors == 3)
        #expect(vitals[0].p50 == .milliseconds(50))
        #expect(vitals[0].p99 == .milliseconds(99))
        #expect(vitals[0].lastSuccess == Self.start)
        #expect(vitals[1] == APIVitals(api: "alpaca-data"))
        vitals = window.vitals(at: Self.start.advanced(by: .seconds(61)))
        #expect(vitals[0].calls == 0)
        #expect(vitals[0].errors == 0)
        #expect(vitals[0].p99 == nil)
        #expect(vitals[2].lastSuccess == Self.start)
    }

    /// The poll and quote ages come from the flow and market-data APIs' last successes (a quote event
    /// counts too, whichever is later).
    @Test func agesFromTheAPIs() {
        var tally = VitalSignsTally()
        tally.fold(Self.event(.quotes([Quote(symbol: Self.aapl, bid: 1, ask: 1, timestamp: Self.start)]), at: 5))
        let apis = [
            APIVitals(api: "alpaca-data", lastSuccess: Self.start.advanced(by: .seconds(9))),
            APIVitals(api: "unusual-whales", lastSuccess: Self.start.advanced(by: .seconds(3))),
        ]
        let vitals = tally.vitals(readings: .init(heartbeat: Self.start, lastFlowAlert: Self.start.advanced(by: .seconds(1)), apis: apis), exposureLimit: 0)
        #expect(vitals.lastQuote == Self.start.advanced(by: .seconds(9)))
        #expect(vitals.lastPoll == Self.start.advanced(by: .seconds(3)))
        #expect(vitals.heartbeat == Self.start)
        #expect(vitals.lastFlowAlert == Self.start.advanced(by: .seconds(1)))
    }
}
