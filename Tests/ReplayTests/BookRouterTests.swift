import Foundation
import PaperExchange
import Primitives
import Replay
import Testing
import TradingModel

struct BookRouterTests {
    /// A limit buy under the ask rests on the book; the first recorded quote whose ask reaches it fills it at its limit.
    @Test func restingLimitFillsWhenAQuoteReachesIt() async throws {
        let aapl = Symbol("AAPL")!
        let start = Timestamp(rfc3339: "2026-01-05T14:30:00Z")!
        let clock = SimulatedClock(start: start)
        let router = BookRouter(symbols: [aapl], startingCash: 10_000, session: .always, clock: clock)
        router.pin(Quote(symbol: aapl, bid: 100, ask: Decimal(string: "100.10")!, timestamp: start))
        let intent = OrderIntent(clientOrderID: "c1", symbol: aapl, side: .buy, quantity: 2, limitPrice: Decimal(string: "99.50")!, createdAt: start)
        let sent = try await router.submit(intent)
        #expect(sent.status == .open && sent.filledQuantity == 0)

        let later = start.advanced(by: .seconds(5))
        clock.set(later)
        router.pin(Quote(symbol: aapl, bid: Decimal(string: "99.60")!, ask: Decimal(string: "99.70")!, timestamp: later))
        #expect(try await router.order(brokerOrderID: sent.brokerOrderID).status == .open)

        let reached = later.advanced(by: .seconds(1))
        clock.set(reached)
        router.pin(Quote(symbol: aapl, bid: Decimal(string: "99.40")!, ask: Decimal(string: "99.50")!, timestamp: reached))
        let filled = try await router.order(brokerOrderID: sent.brokerOrderID)
        #expect(filled.status == .filled && filled.filledQuantity == 2 && filled.filledAveragePrice == Decimal(string: "99.50")!)
        // Cash 10,000 − 199.00; the 2 shares at the mid 99.45.
        #expect(router.account().equity == Decimal(string: "9999.90")!)
    }
}
