import Foundation
import PaperExchange
import Primitives
import Replay
import TestSupport
import Testing

struct ReplayTests {
    /// The fixture replays to the trades, PnL, orders, rejection and drawdown worked out by hand in `ReplayFixture`.
    @Test func fixtureGivesTheHandWorkedResult() async throws {
        let folder = TemporaryFolder()
        let (result, report) = try await ReplayFixture.replay(in: folder, settings: try ReplayFixture.settings(in: folder))
        #expect(result.trades.map(\.symbol.rawValue) == ["AAPL", "MSFT"])
        #expect(result.trades.map(\.quantity) == [3, 7])
        #expect(result.trades.map(\.entryPrice) == [Decimal(string: "100.10")!, Decimal(string: "50.02")!])
        #expect(result.trades.map(\.exitPrice) == [Decimal(string: "104.20")!, Decimal(string: "48.90")!])
        #expect(result.trades.map(\.pnl) == [Decimal(string: "12.30")!, Decimal(string: "-7.84")!])
        #expect(result.trades.map(\.rule) == ["take profit", "stop loss"])
        #expect(result.realizedPnL == Decimal(string: "4.46")!)
        #expect(result.wins == 1)
        #expect(result.ordersSent == 4 && result.ordersFilled == 4)
        #expect(result.rejections == ["cooldown": 1])
        #expect(result.maxDrawdown == Decimal(string: "7.99")!)
        #expect(result.open.isEmpty)
        #expect(report.contains("Trades           2 (1 won, win rate 50.0%)"))
        #expect(report.contains("Realised PnL     +$4.46"))
        #expect(report.contains("Max drawdown     $7.99"))
    }

    /// MIN_COOLDOWN_MINUTES=1 in the env file lets the AAPL alert 60 s after the last AAPL trade through
    /// (the guard refuses only under the cooldown: 60 s is not under 60 s): a third entry, no rejection.
    @Test func cooldownFromTheEnvFileChangesTheResult() async throws {
        let folder = TemporaryFolder()
        let (result, _) = try await ReplayFixture.replay(in: folder, settings: try ReplayFixture.settings(in: folder, extra: "MIN_COOLDOWN_MINUTES=1\n"))
        #expect(result.rejections.isEmpty)
        #expect(result.ordersFilled == 5)
        // Entered at the ask 104.10 (limit 104.10 × 1.001 → 104.21; 400 / 104.21 → 3 shares), still open at the end.
        #expect(result.open.map(\.symbol.rawValue) == ["AAPL"])
        #expect(result.open.first?.quantity == 3 && result.open.first?.entryPrice == Decimal(string: "104.10")!)
        #expect(result.realizedPnL == Decimal(string: "4.46")!)
    }

    /// MAX_NOTIONAL_PER_ORDER=320 in the env file refuses the MSFT entry (7 × 50.08 = 350.56 > 320) but not
    /// the AAPL one (3 × 100.21 = 300.63): only the AAPL trade is left.
    @Test func notionalCapFromTheEnvFileChangesTheResult() async throws {
        let folder = TemporaryFolder()
        let (result, _) = try await ReplayFixture.replay(in: folder, settings: try ReplayFixture.settings(in: folder, extra: "MAX_NOTIONAL_PER_ORDER=320\n"))
        #expect(result.rejections == ["cooldown": 1, "max_notional": 1])
        #expect(result.rejectionsBySymbol[Symbol("MSFT")!] == ["max_notional": 1])
        #expect(result.trades.map(\.pnl) == [Decimal(string: "12.30")!])
        #expect(result.realizedPnL == Decimal(string: "12.30")!)
    }

    /// A synthetic day recorded twice is the same bytes, and replayed twice gives the same report, byte for byte.
    @Test func sameInputGivesByteIdenticalOutput() async throws {
        let folder = TemporaryFolder()
        let market = SyntheticMarket(seed: 7, days: 1, symbols: [Symbol("AAPL")!, Symbol("NVDA")!], session: .nyse, quoteInterval: .seconds(5))
        func record() -> String {
            var lines: [String] = []
            market.generate { lines.append($0) }
            return lines.joined(separator: "\n") + "\n"
        }
        let text = record()
        #expect(text == record())
        let settings = try ReplayFixture.settings(in: folder)
        let first = try await ReplayFixture.replay(text, name: "day.jsonl", in: folder, settings: settings)
        let second = try await ReplayFixture.replay(text, name: "day.jsonl", in: folder, settings: settings)
        #expect(first.report == second.report)
        #expect(first.result.quotes == 2 * 23_400 / 5)
        #expect(first.result.ordersSent > 0, "the synthetic day should trade at least once:\n\(first.report)")
    }

    /// The synthetic recorder follows the NYSE calendar: the first and last quotes are at the session's open
    /// and its last second before the close, and nothing is recorded on the weekend.
    @Test func syntheticRecordingFollowsTheSession() throws {
        let folder = TemporaryFolder()
        // Friday 2026-01-09 and the next session, Monday 2026-01-12.
        let market = SyntheticMarket(seed: 3, days: 2, symbols: [Symbol("SPY")!], session: .nyse, startDay: MarketCalendar.day("2026-01-09")!, quoteInterval: .seconds(60))
        try market.write(to: folder.path + "/two.jsonl")
        let recording = try RecordingReader().read(files: [folder.path + "/two.jsonl"])
        let times = recording.events.map(\.time)
        #expect(times.first == Timestamp(rfc3339: "2026-01-09T14:30:00Z"))
        #expect(times.last == Timestamp(rfc3339: "2026-01-12T20:59:00Z"))
        #expect(times.allSatisfy { MarketCalendar.isOpen(at: $0) })
        #expect(recording.quoteCount == 2 * 390)
        #expect(recording.session == .nyse)
    }
}
