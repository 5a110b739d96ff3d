import Engine
import Foundation
import Primitives
import Strategies
import Synchronization
import TestSupport
import Testing

struct MarketRecorderTests {
    /// What a recorder was handed, in order.
    final class Tape: MarketRecorder {
        let entries = Mutex<[String]>([])
        func record(quotes: [Quote], seenAt: Timestamp) {
            entries.withLock { $0.append("quotes \(quotes.map(\.symbol.rawValue).joined(separator: ",")) at \(seenAt.rfc3339)") }
        }
        func record(alerts: [FlowSignal], seenAt: Timestamp) {
            entries.withLock { $0.append("alerts \(alerts.map(\.id).joined(separator: ",")) at \(seenAt.rfc3339)") }
        }
    }

    /// The recording sources hand their caller exactly what the real ones return, and the recorder every
    /// quote read (by symbol) and every alert of a page (oldest first), stamped with the clock's time.
    @Test func sourcesPassThroughAndRecord() async throws {
        let clock = ManualClock()
        let tape = Tape()
        let market = FixedQuotes(clock: clock)
        market.set(Symbol("MSFT")!, bid: 50, ask: 50.02)
        market.set(Symbol("AAPL")!, bid: 100, ask: 100.1)
        let quotes = RecordingQuoteSource(market, recorder: tape, clock: clock)
        let read = try await quotes.latestQuotes([Symbol("MSFT")!, Symbol("AAPL")!])
        #expect(read == (try await market.latestQuotes([Symbol("MSFT")!, Symbol("AAPL")!])))
        let flow = ScriptedFlowSource()
        for (id, second) in [("old", 0), ("new", 5)] {
            flow.add(
                FlowSignal(id: id, symbol: Symbol("AAPL")!, kind: .call, totalPremium: 1, askSideShare: nil, createdAt: clock.now.advanced(by: .seconds(second))))
        }
        clock.advance(by: .seconds(10))
        let page = try await RecordingFlowSource(flow, recorder: tape, clock: clock).signals(newerThan: nil, limit: 10)
        #expect(page.map(\.id) == ["new", "old"])
        #expect(
            tape.entries.withLock { $0 } == [
                "quotes AAPL,MSFT at 2026-01-05T14:30:00.000Z", "alerts old,new at 2026-01-05T14:30:10.000Z",
            ])
    }
}
