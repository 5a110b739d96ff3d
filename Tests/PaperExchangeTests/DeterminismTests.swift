import Foundation
import PaperExchange
import TestSupport
import Testing

/// Given a seed and a clock, the exchange answers the same way every time.
struct DeterminismTests {
    /// Two exchanges with one seed and the same clock give byte-identical answers to the same requests;
    /// another seed gives other prices.
    @Test func sameSeedSameAnswers() async throws {
        let first = try await transcript(seed: 42)
        let second = try await transcript(seed: 42)
        #expect(first == second)
        let other = try await transcript(seed: 43)
        #expect(other[0] != first[0], "quotes differ for another seed")
    }

    private func transcript(seed: UInt64) async throws -> [String] {
        let clock = ManualClock(now: Harness.start)
        return try await Harness.withExchange(Harness.options(seed: seed), clock: clock) { _, client in
            var lines: [String] = []
            lines.append(try await client.get("/v2/stocks/quotes/latest?symbols=AAPL,MSFT,NVDA,SPY").text)
            lines.append(try await client.post("/v2/orders", #"{"symbol":"AAPL","qty":"3","side":"buy","type":"market","time_in_force":"day"}"#).text)
            lines.append(
                try await client.post("/v2/orders", #"{"symbol":"SPY","qty":"2","side":"buy","type":"limit","time_in_force":"gtc","limit_price":"555.55"}"#).text)
            for _ in 0..<5 {
                clock.advance(by: .seconds(97))
                lines.append(try await client.get("/v2/stocks/AAPL/trades/latest").text)
                lines.append(try await client.get("/api/option-trades/flow-alerts?limit=5", credentials: .flow).text)
            }
            lines.append(try await client.get("/v2/orders?status=all").text)
            lines.append(try await client.get("/v2/positions").text)
            lines.append(try await client.get("/v2/account").text)
            return lines
        }
    }

    /// Quotes move as the clock moves, and only then.
    @Test func quotesMoveWithTheClock() async throws {
        let clock = ManualClock(now: Harness.start)
        try await Harness.withExchange(clock: clock) { _, client in
            let first = try await client.get("/v2/stocks/quotes/latest?symbols=AAPL,MSFT,NVDA,AMZN").text
            #expect(try await client.get("/v2/stocks/quotes/latest?symbols=AAPL,MSFT,NVDA,AMZN").text == first)
            clock.advance(by: .seconds(5))
            #expect(try await client.get("/v2/stocks/quotes/latest?symbols=AAPL,MSFT,NVDA,AMZN").text != first)
        }
    }
}
