import Foundation
import PaperExchange
import Primitives
import Replay
import TestSupport
import Testing

struct ReplayHTMLTests {
    /// The fixture's exposure worked out by hand: 3 AAPL at the mid 104.25 (312.75) at T0+60 s, 7 MSFT at
    /// 48.91 (342.37, the peak) at T0+460 s, nothing at the other four ticks: mean 655.12 / 6 = 109.19.
    @Test func exposureOverTimeIsInTheText() async throws {
        let folder = TemporaryFolder()
        let (result, report) = try await ReplayFixture.replay(in: folder, settings: try ReplayFixture.settings(in: folder))
        #expect(result.peakExposure == Decimal(string: "342.37")!)
        #expect(result.ticks == 6)
        #expect(result.exposureSum == Decimal(string: "655.12")!)
        #expect(
            report.contains(
                "Exposure         peak $342.37 (0.34% of the starting equity) at 2026-01-05T14:37:40.000Z, mean $109.19 over 6 ticks"),
            "\(report)")
        #expect(result.curve.map(\.exposure) == [0, Decimal(string: "312.75")!, 0, 0, Decimal(string: "342.37")!, 0])
        #expect(result.curve.map(\.drawdown).max() == result.maxDrawdown)
    }

    /// The page has the three curves as inline SVG, the trades, the rejection by check and the symbols,
    /// and nothing that loads from elsewhere (no script, link, image, import or url()).
    @Test func pageIsSelfContainedAndComplete() async throws {
        let folder = TemporaryFolder()
        let (result, _) = try await ReplayFixture.replay(in: folder, settings: try ReplayFixture.settings(in: folder))
        let page = ReplayHTML.page(result, files: ["fixture.jsonl"])
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.components(separatedBy: "<svg ").count - 1 == 3)
        #expect(page.contains("<polyline points=\""))
        #expect(page.contains("<td>cooldown</td><td>1</td>"))
        #expect(page.contains("<td class=\"up\">+$12.30</td><td class=\"l\">take profit</td>"))
        #expect(page.contains("<td class=\"down\">-$7.84</td><td class=\"l\">stop loss</td>"))
        #expect(page.contains("<tr><td>AAPL</td><td>1</td><td>1</td>"))
        for outside in ["<script", "<link", "<img", "@import", "url(", "src=", "href=", "https:"] {
            #expect(!page.lowercased().contains(outside), "\(outside)")
        }
        // The only http: is the SVG namespace, a name never fetched.
        #expect(page.components(separatedBy: "http:").count - 1 == 3)
    }

    /// The same replay made twice gives the same page, byte for byte; a file name is escaped.
    @Test func pageIsDeterministicAndEscaped() async throws {
        let folder = TemporaryFolder()
        let market = SyntheticMarket(seed: 7, days: 1, symbols: [Symbol("AAPL")!, Symbol("NVDA")!], session: .nyse, quoteInterval: .seconds(5))
        var lines: [String] = []
        market.generate { lines.append($0) }
        let text = lines.joined(separator: "\n") + "\n"
        let settings = try ReplayFixture.settings(in: folder)
        let first = try await ReplayFixture.replay(text, name: "day.jsonl", in: folder, settings: settings)
        let second = try await ReplayFixture.replay(text, name: "day.jsonl", in: folder, settings: settings)
        let name = "a<b>&\"c\".jsonl"
        #expect(ReplayHTML.page(first.result, files: [name]) == ReplayHTML.page(second.result, files: [name]))
        #expect(first.result.curve.count <= ReplayResult.curvePoints && first.result.curve.count > 100)
        let page = ReplayHTML.page(first.result, files: [name])
        #expect(page.contains("a&lt;b&gt;&amp;&quot;c&quot;.jsonl") && !page.contains(name))
    }

    /// A report path in a missing folder, or naming a folder, is refused before anything is written; a good
    /// one is written whole with no temporary file left beside it, and replaces an older report.
    @Test func reportFileIsCheckedAndWrittenWhole() throws {
        let folder = TemporaryFolder()
        let missing = #expect(throws: ReportFileError.self) { try ReportFile.check(folder.path + "/nope/report.html") }
        #expect(missing?.description.contains("does not exist") == true)
        let isFolder = #expect(throws: ReportFileError.self) { try ReportFile.write("x", to: folder.path) }
        #expect(isFolder?.description.contains("is a folder") == true)
        #expect(ReportFileError.exitCode == 73)
        folder.write("report.html", "old")
        try ReportFile.write("<p>new</p>\n", to: folder.path + "/report.html")
        #expect(try String(contentsOfFile: folder.path + "/report.html", encoding: .utf8) == "<p>new</p>\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.html"])
    }
}
