import Foundation
import Primitives
import Replay
import TestSupport
import Testing

struct TuneTests {
    /// A range gives FROM, FROM + STEP, … TO; ranges combine with the first varying slowest.
    @Test func rangesAndCombinations() throws {
        let cooldown = try VaryRange(parsing: "MIN_COOLDOWN_MINUTES=1:5:2")
        #expect(cooldown.values == [1, 3, 5])
        let share = try VaryRange(parsing: "MIN_ASK_SIDE_SHARE=0.5:0.6:0.05")
        #expect(share.values == [Decimal(string: "0.5")!, Decimal(string: "0.55")!, Decimal(string: "0.6")!])
        let combinations = try VaryRange.combinations([cooldown, share])
        #expect(combinations.count == 9)
        #expect(combinations.first == ["MIN_COOLDOWN_MINUTES": "1", "MIN_ASK_SIDE_SHARE": "0.5"])
        #expect(combinations[1] == ["MIN_COOLDOWN_MINUTES": "1", "MIN_ASK_SIDE_SHARE": "0.55"])
        #expect(combinations.last == ["MIN_COOLDOWN_MINUTES": "5", "MIN_ASK_SIDE_SHARE": "0.6"])
    }

    /// An empty range, an unknown variable, a zero step or a malformed spec is a usage error that says which.
    @Test(arguments: [
        ("MIN_COOLDOWN_MINUTES=5:1:1", "the range is empty"),
        ("NOT_A_SETTING=1:2:1", "NOT_A_SETTING is not a variable a tune can vary"),
        ("APCA_API_SECRET_KEY=1:2:1", "APCA_API_SECRET_KEY is not a variable a tune can vary"),
        ("MIN_COOLDOWN_MINUTES=1:5:0", "STEP must be more than 0"),
        ("MIN_COOLDOWN_MINUTES=1:5", "three numbers"),
        ("MIN_COOLDOWN_MINUTES", "expected NAME=FROM:TO:STEP"),
        ("MIN_COOLDOWN_MINUTES=a:5:1", "must be decimal numbers"),
    ])
    func badSpecIsAUsageError(_ spec: String, _ expected: String) {
        let error = #expect(throws: TuneError.self) { try VaryRange(parsing: spec) }
        #expect(error?.description.contains(expected) == true, "\(error?.description ?? "no error")")
    }

    /// The star marks exactly the rows no other beats on both PnL and drawdown.
    @Test func paretoRowsAreMarked() {
        func row(_ name: String, pnl: Decimal, drawdown: Decimal) -> TuneTable.Row {
            var result = ReplayResult()
            result.realizedPnL = pnl
            result.maxDrawdown = drawdown
            return TuneTable.Row(settings: ["X": name], result: result)
        }
        let rows = [row("a", pnl: 10, drawdown: 5), row("b", pnl: 8, drawdown: 6), row("c", pnl: 4, drawdown: 1), row("d", pnl: 10, drawdown: 5)]
        #expect(rows.map { TuneTable.isDominated($0, in: rows) } == [false, true, false, false])
        let lines = TuneTable.text(rows, names: ["X"]).split(separator: "\n")
        #expect(lines[1].hasSuffix("*") && !lines[2].hasSuffix("*") && lines[3].hasSuffix("*"))
    }

    /// A strategy setting from the env file reaches the replay: with TAKE_PROFIT_PCT=0.05 the AAPL rise of
    /// 4.1% no longer takes profit, so the fixture's first trade stays open (and the cooldown alert is moot).
    @Test func strategySettingChangesTheReplay() async throws {
        let folder = TemporaryFolder()
        let (result, _) = try await ReplayFixture.replay(in: folder, settings: try ReplayFixture.settings(in: folder, extra: "TAKE_PROFIT_PCT=0.05\n"))
        #expect(result.trades.map(\.symbol.rawValue) == ["MSFT"])
        #expect(result.open.map(\.symbol.rawValue) == ["AAPL"])
        #expect(result.realizedPnL == Decimal(string: "-7.84")!)
    }
}
