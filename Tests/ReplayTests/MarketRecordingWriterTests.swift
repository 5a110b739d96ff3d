import Foundation
import Logging
import PaperExchange
import Primitives
import Replay
import Strategies
import TestSupport
import Testing

struct MarketRecordingWriterTests {
    static let t0 = Timestamp(rfc3339: "2026-01-05T14:30:00Z")!
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func quote(_ symbol: String, _ bid: Decimal, at time: Timestamp) -> Quote {
        Quote(symbol: Symbol(symbol)!, bid: bid, ask: bid + Decimal(string: "0.02")!, timestamp: time)
    }

    static func alert(_ id: String, created: Timestamp) -> FlowSignal {
        FlowSignal(id: id, symbol: Symbol("AAPL")!, kind: .call, totalPremium: 200_000, askSideShare: Decimal(string: "0.75")!, createdAt: created)
    }

    /// Quotes and alerts go to the day's file after its header, at the time seen; an alert older than the
    /// last line is written at the time seen (so the file stays in order) and an alert polled twice once;
    /// the file reads back as a recording.
    @Test func writesADayFileTheReaderReads() throws {
        let folder = TemporaryFolder()
        let writer = MarketRecordingWriter(folder: folder.path + "/market", maximumBytes: 1 << 20, session: .always, logger: Self.logger)
        writer.record(quotes: [Self.quote("AAPL", 100, at: Self.t0)], seenAt: Self.t0)
        writer.record(alerts: [Self.alert("a1", created: Self.t0.advanced(by: .seconds(-20)))], seenAt: Self.t0.advanced(by: .seconds(1)))
        writer.record(alerts: [Self.alert("a1", created: Self.t0.advanced(by: .seconds(-20)))], seenAt: Self.t0.advanced(by: .seconds(16)))
        writer.record(quotes: [Self.quote("AAPL", 101, at: Self.t0)], seenAt: Self.t0.advanced(by: .seconds(16)))
        let path = folder.path + "/market/2026-01-05.001.jsonl"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("{\"bulwark_market\":1,\"session\":\"always\""))
        #expect(lines[1] == "{\"quote\":\"AAPL\",\"bid\":\"100\",\"ask\":\"100.02\",\"t\":1767623400000}")
        #expect(lines[2].hasPrefix("{\"flow\":\"AAPL\",\"id\":\"a1\"") && lines[2].hasSuffix("\"created\":1767623380000,\"t\":1767623401000}"))
        #expect(lines[3].hasSuffix("\"t\":1767623416000}"))
        let recording = try RecordingReader().read(files: [path])
        #expect(recording.quoteCount == 2 && recording.alertCount == 1 && recording.session == .always)
        #expect(recording.events.map(RecordingFormat.line) == Array(lines.dropFirst()))
    }

    /// An alert Bulwark saw 120 s after it was created is replayed as that old: skipped as stale (over
    /// MAX_SIGNAL_AGE_SECONDS=60), as live skipped it; the same alert seen at once is entered.
    @Test func aLateAlertIsReplayedAsStale() async throws {
        let folder = TemporaryFolder()
        let quote = "{\"quote\":\"AAPL\",\"bid\":\"100.00\",\"ask\":\"100.10\",\"t\":1767623400000}\n"
        let header = "{\"bulwark_market\":1,\"session\":\"always\"}\n"
        let alert = "{\"flow\":\"AAPL\",\"id\":\"a1\",\"kind\":\"call\",\"premium\":\"200000\",\"ask_premium\":\"150000\""
        let settings = try ReplayFixture.settings(in: folder)
        let late = try await ReplayFixture.replay(
            header + quote + alert + ",\"created\":1767623280500,\"t\":1767623400500}\n", name: "late.jsonl", in: folder, settings: settings)
        #expect(late.result.skippedSignals == ["stale": 1] && late.result.ordersSent == 0, "\(late.report)")
        let prompt = try await ReplayFixture.replay(header + quote + alert + ",\"t\":1767623400500}\n", name: "prompt.jsonl", in: folder, settings: settings)
        #expect(prompt.result.skippedSignals.isEmpty && prompt.result.ordersSent == 1, "\(prompt.report)")
    }

    /// A new UTC day starts a new file with its own header, and a file that reaches the cap is continued in
    /// the next part; the files, sorted by name, read as one timeline.
    @Test func rotatesByDayAndBySize() throws {
        let folder = TemporaryFolder()
        let writer = MarketRecordingWriter(folder: folder.path, maximumBytes: 4_096, session: .nyse, logger: Self.logger)
        for second in 0..<120 {
            writer.record(quotes: [Self.quote("AAPL", 100, at: Self.t0)], seenAt: Self.t0.advanced(by: .seconds(second)))
        }
        writer.record(quotes: [Self.quote("AAPL", 100, at: Self.t0)], seenAt: Timestamp(rfc3339: "2026-01-06T14:30:00Z")!)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["2026-01-05.001.jsonl", "2026-01-05.002.jsonl", "2026-01-06.001.jsonl"])
        for name in names {
            let size = try FileManager.default.attributesOfItem(atPath: folder.path + "/" + name)[.size] as? Int ?? 0
            #expect(size <= 4_096, "\(name)")
        }
        let recording = try RecordingReader().read(files: names.map { folder.path + "/" + $0 })
        #expect(recording.quoteCount == 121)
    }

    /// A folder that cannot be made stops the recording without throwing; trading code calling it goes on.
    @Test func aWriteThatFailsStopsQuietly() throws {
        let folder = TemporaryFolder()
        folder.write("market", "a file where the folder should be")
        let writer = MarketRecordingWriter(folder: folder.path + "/market", maximumBytes: 1 << 20, logger: Self.logger)
        writer.record(quotes: [Self.quote("AAPL", 100, at: Self.t0)], seenAt: Self.t0)
        writer.record(quotes: [Self.quote("AAPL", 100, at: Self.t0)], seenAt: Self.t0)
        #expect(try String(contentsOfFile: folder.path + "/market", encoding: .utf8) == "a file where the folder should be")
    }
}
