import Foundation
import Primitives
import Replay
import TestSupport
import Testing

struct TuneAdviceTests {
    /// The fixture's notional cap worked out by hand: 2000 never binds; 320 refuses only the MSFT entry
    /// (350.56), the trade that ended -$7.84; 300 refuses all three entries (a1 300.63, a2 312.63, m1),
    /// two of them the baseline's trades (+12.30 − 7.84); 2500 changes nothing.
    @Test func notionalCapSentence() async throws {
        let folder = TemporaryFolder()
        let baseline = try await ReplayFixture.replay(in: folder, settings: try ReplayFixture.settings(in: folder)).result
        var runs: [TuneAdvice.Run] = []
        for value in ["300", "320", "2000", "2500"] {
            let settings = try ReplayFixture.settings(in: folder, extra: "MAX_NOTIONAL_PER_ORDER=\(value)\n")
            runs.append(TuneAdvice.Run(value: Decimal(string: value)!, result: try await ReplayFixture.replay(in: folder, settings: settings).result))
        }
        let sentence = TuneAdvice.sentence(name: "MAX_NOTIONAL_PER_ORDER", configured: 2000, baseline: baseline, runs: runs)
        #expect(
            sentence == "MAX_NOTIONAL_PER_ORDER 2000: never bound; 300 would have rejected 3 entries, 2 of them closed trades that ended +$4.46 in the baseline"
                + " (realised $0.00 against +$4.46); 320 would have rejected 1 entry that ended -$7.84 (realised +$12.30 against +$4.46); 2500 changed nothing.")
    }

    /// The fixture's cooldown: 5 minutes binds once (a2, 60 s after the AAPL trade); 1 minute lets a2
    /// through, an entry still open at the end (not a closed trade); 10 minutes changes nothing.
    @Test func cooldownSentence() async throws {
        let folder = TemporaryFolder()
        let baseline = try await ReplayFixture.replay(in: folder, settings: try ReplayFixture.settings(in: folder)).result
        var runs: [TuneAdvice.Run] = []
        for value in ["1", "10"] {
            let settings = try ReplayFixture.settings(in: folder, extra: "MIN_COOLDOWN_MINUTES=\(value)\n")
            runs.append(TuneAdvice.Run(value: Decimal(string: value)!, result: try await ReplayFixture.replay(in: folder, settings: settings).result))
        }
        #expect(TuneAdvice.configured("MIN_COOLDOWN_MINUTES", in: try ReplayFixture.settings(in: folder).limits) == 5)
        let sentence = TuneAdvice.sentence(name: "MIN_COOLDOWN_MINUTES", configured: 5, baseline: baseline, runs: runs)
        #expect(
            sentence == "MIN_COOLDOWN_MINUTES 5: bound 1 time; 1 would have let through 1 entry the configured value refused, none of them closed as a trade"
                + " (realised +$4.46 against +$4.46); 10 changed nothing.")
    }

    /// Rejected entries and trades carry the alert that caused them, so runs can be compared entry by entry.
    @Test func entriesAreNamedByTheirAlert() async throws {
        let folder = TemporaryFolder()
        let result = try await ReplayFixture.replay(in: folder, settings: try ReplayFixture.settings(in: folder)).result
        #expect(result.trades.map(\.alertID) == ["a1", "m1"])
        #expect(result.rejectedEntries.map(\.alertID) == ["a2"] && result.rejectedEntries.map(\.check) == ["cooldown"])
    }
}
