import Foundation
import PaperExchange
import Primitives
import Testing

/// The seeded options flow: realistic, varied, and with signals for a strategy to act on.
struct FlowAlertTests {
    private func alerts(hours: Int = 2, seed: UInt64 = 3) -> ExchangeBook {
        var book = ExchangeBook(configuration: .init(seed: seed, alertsKept: 5_000), createdAt: Harness.start)
        for hour in 1...hours { book.advance(to: Harness.start.advanced(by: .seconds(3_600 * hour))) }
        return book
    }

    /// Alerts arrive at about the configured rate (one per 10 s), on the exchange's symbols, and enough
    /// of them clear a default entry bar (call, premium ≥ $100,000, ask side ≥ 60%).
    @Test func rateMixAndSignals() {
        let book = alerts()
        let all = book.alerts
        #expect((500...950).contains(all.count), "\(all.count) alerts in 2 h 10 min")
        #expect(Set(all.map(\.ticker)) == Set(book.market.symbols))
        let calls = all.filter(\.isCall).count
        #expect(calls > all.count / 2 && calls < all.count * 3 / 4)
        let signals = all.filter { $0.isCall && $0.totalPremium >= 100_000 && $0.askSideShare >= Decimal(string: "0.6")! }
        #expect(signals.count * 10 >= all.count, "\(signals.count) of \(all.count) clear the entry bar")
        #expect(all.contains { $0.hasSweep } && all.contains { !$0.hasSweep } && all.contains { $0.hasFloor })
    }

    /// Every alert is internally consistent: sides add up, strikes near the money, times in order.
    @Test func alertsAreConsistent() {
        for alert in alerts(hours: 1).alerts {
            #expect(alert.totalAskSidePremium + alert.totalBidSidePremium == alert.totalPremium)
            #expect(alert.totalPremium == Decimal(alert.totalSize) * alert.price * 100)
            #expect(alert.bid < alert.ask && alert.ask == alert.price)
            #expect(alert.strike > alert.underlyingPrice * Decimal(string: "0.85")! && alert.strike < alert.underlyingPrice * Decimal(string: "1.15")!)
            #expect(alert.startTime < alert.endTime && alert.endTime < alert.createdAt.epochMilliseconds)
            #expect(alert.volume >= alert.totalSize)
            #expect(alert.optionChain.hasPrefix(alert.ticker.rawValue) && alert.optionChain.contains(alert.isCall ? "C" : "P"))
            #expect(alert.expiry >= String(alert.createdAt.rfc3339.prefix(10)))
        }
    }

    /// Queries return newest first, filtered by ticker and by creation time, at most `limit`.
    @Test func queries() throws {
        let book = alerts(hours: 1)
        let newest = book.flowAlerts(limit: 200)
        #expect(newest.count == 200)
        #expect(zip(newest, newest.dropFirst()).allSatisfy { $0.createdAt >= $1.createdAt })
        let nvda = book.flowAlerts(ticker: Symbol("NVDA")!, limit: 10)
        #expect(!nvda.isEmpty && nvda.allSatisfy { $0.ticker.rawValue == "NVDA" })
        let cutoff = newest[20].createdAt
        let recent = book.flowAlerts(newerThan: cutoff, limit: 200)
        #expect(recent.count == 20)
        #expect(recent.allSatisfy { $0.createdAt > cutoff })
        #expect(book.flowAlerts(limit: 3).map(\.id) == Array(newest.prefix(3)).map(\.id))
    }

    /// The same seed gives the same alerts; ids are unique.
    @Test func deterministicAndUnique() {
        let first = alerts(hours: 1, seed: 8).alerts
        #expect(first == alerts(hours: 1, seed: 8).alerts)
        #expect(first != alerts(hours: 1, seed: 9).alerts)
        #expect(Set(first.map(\.id)).count == first.count)
    }
}
