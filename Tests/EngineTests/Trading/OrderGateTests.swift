@testable import Engine
import Foundation
@testable import Persistence
@testable import Primitives
@testable import RiskGuard
import TestSupport
import Testing
@testable import TradingModel

struct OrderGateTests {
    /// A rejection is journaled with its check, limit and actual value and published; the next order
    /// for another symbol goes through, and the trading state is untouched.
    @Test func rejectionIsJournaledPublishedAndTradingGoesOn() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: GuardFixture.now)
            let bus = EventBus(clock: clock)
            let events = bus.subscribe(name: "test")
            let log = LogCapture()
            let journal = try OrderJournal(path: directory + "/orders.jsonl", clock: clock, logger: log.logger)
            var fixture = GuardFixture()
            fixture.limits.maxPositionSizeUSD = 500
            fixture.context.quotes[GuardFixture.msft] = Quote(symbol: GuardFixture.msft, bid: 100, ask: 100, timestamp: GuardFixture.now)
            let gate = OrderGate(tradeGuard: TradeGuard(limits: fixture.limits), journal: journal, bus: bus, logger: log.logger)

            let refused = gate.check(ProposedOrder(symbol: "AAPL", side: .buy, quantity: 6, limitPrice: 100), in: fixture.context)
            #expect(refused.rejection?.check == "max_position_size")
            let approved = gate.check(ProposedOrder(symbol: "MSFT", side: .buy, quantity: 2, limitPrice: 100), in: fixture.context)
            #expect(approved == .approved(isExit: false))

            let contents = try journal.read()
            #expect(contents.entries.count == 1)
            guard case .guardRejected(let journaled) = contents.entries.first?.record else {
                Issue.record("expected a guard rejection in the journal")
                return
            }
            #expect(journaled.check == "max_position_size")
            #expect(journaled.limit == "500.00 USD")
            #expect(journaled.actual == "600.00 USD")

            bus.finish()
            var published: [GuardRejection] = []
            var tradingStates = 0
            for await event in events {
                if case .guardRejected(let rejection) = event.kind { published.append(rejection) }
                if case .tradingState = event.kind { tradingStates += 1 }
            }
            #expect(published == [journaled])
            #expect(tradingStates == 0)
            #expect(log.lines.contains { $0.message == "order refused by the trade guard" && $0.metadata["check"] == "max_position_size" })
        }
    }
}
