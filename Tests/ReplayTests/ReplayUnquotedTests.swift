import Foundation
import Replay
import TestSupport
import Testing

struct ReplayUnquotedTests {
    /// A strong call alert for a symbol the recording never quoted cannot be priced: no order, and the
    /// report counts it under "Alerts skipped" instead of dropping it silently.
    @Test func alertForAnUnquotedSymbolIsCounted() async throws {
        let folder = TemporaryFolder()
        let text = """
            {"bulwark_market":1,"session":"always","source":"x"}
            {"flow":"QQQQ","id":"q1","kind":"call","premium":"500000","ask_premium":"400000","t":1767623400000}
            {"quote":"AAPL","bid":"100.00","ask":"100.10","t":1767623401000}

            """
        let (result, report) = try await ReplayFixture.replay(text, name: "noq.jsonl", in: folder, settings: try ReplayFixture.settings(in: folder))
        #expect(result.skippedSignals == ["no_quote": 1])
        #expect(result.ordersSent == 0)
        #expect(report.contains("Alerts skipped   1 no_quote"), "\(report)")
    }
}
