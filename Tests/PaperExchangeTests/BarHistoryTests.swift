import Foundation
import PaperExchange
import Primitives
import Testing

/// Bars as the book builds them from its walk, without HTTP.
struct BarHistoryTests {
    /// A minute bar is the minute's steps: opened at the first step's price, closed at the last's, its
    /// volume the sum of the trade sizes the latest-trade quote showed at each step, one trade a step.
    @Test func minuteBarIsTheStepsOfTheMinute() throws {
        let start = try #require(Timestamp(rfc3339: "2026-03-16T14:00:00Z"))
        let symbol = try #require(Symbol("NVDA"))
        var book = ExchangeBook(configuration: .init(seed: 11), createdAt: start)
        var prices: [Decimal] = []
        var volume = 0
        for step in 0..<120 {
            book.advance(to: start.advanced(by: .milliseconds(500 * step)))
            let quote = try #require(book.market.quote(symbol))
            prices.append(quote.last)
            volume += quote.tradeSize
        }
        book.advance(to: start.advanced(by: .seconds(60)))
        let bar = try #require(book.bars(symbol, timeframe: .minutes(1)).last)
        #expect(bar.start == start.epochMilliseconds)
        #expect(bar.trades == 120)
        #expect(Decimal(bar.openCents) / 100 == prices.first)
        #expect(Decimal(bar.closeCents) / 100 == prices.last)
        #expect(Decimal(bar.highCents) / 100 == prices.max())
        #expect(Decimal(bar.lowCents) / 100 == prices.min())
        #expect(bar.volume == Int64(volume))
    }

    /// Timeframes are read the way Alpaca writes them; others are refused.
    @Test func timeframes() {
        #expect(BarTimeframe("1Min") == .minutes(1))
        #expect(BarTimeframe("15Min") == .minutes(15))
        #expect(BarTimeframe("1Hour") == .hours(1))
        #expect(BarTimeframe("1H") == .hours(1))
        #expect(BarTimeframe("1Day") == .day)
        #expect(BarTimeframe("Day") == .day)
        for bad in ["0Min", "60Min", "24Hour", "2Day", "1Week", "Min5", "", "1000000Min"] {
            #expect(BarTimeframe(bad) == nil, "\(bad)")
        }
    }
}
