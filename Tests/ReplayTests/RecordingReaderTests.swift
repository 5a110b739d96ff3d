import Foundation
import PaperExchange
import Replay
import TestSupport
import Testing

struct RecordingReaderTests {
    static let header = "{\"bulwark_market\":1,\"session\":\"always\"}\n"
    static let quote = "{\"quote\":\"AAPL\",\"bid\":\"1.00\",\"ask\":\"1.01\",\"t\":2000}\n"

    /// Each kind of bad input is refused with its kind and the file and line it is on.
    @Test(arguments: [
        ("empty", "", RecordingError.Kind.empty, nil),
        ("truncated", header + quote + "{\"quote\":\"AAPL\",\"bid\":\"1.00\"", .truncated, 3),
        ("out of order", header + quote + "{\"quote\":\"AAPL\",\"bid\":\"1.00\",\"ask\":\"1.01\",\"t\":1999}\n", .outOfOrder, 3),
        ("unknown record", header + quote + "{\"trade\":\"AAPL\",\"t\":2001}\n", .unknownRecord, 3),
        ("not json", header + "quote AAPL 1.00 1.01\n", .malformed, 2),
        ("no header", quote, .header, 1),
        ("newer version", "{\"bulwark_market\":2}\n" + quote, .header, 1),
        ("bad symbol", header + "{\"quote\":\"not a ticker\",\"bid\":\"1\",\"ask\":\"1\",\"t\":2000}\n", .unknownSymbol, 2),
        ("crossed quote", header + "{\"quote\":\"AAPL\",\"bid\":\"2\",\"ask\":\"1\",\"t\":2000}\n", .malformed, 2),
    ] as [(String, String, RecordingError.Kind, Int?)])
    func badInputIsNamed(_ name: String, _ text: String, _ kind: RecordingError.Kind, _ line: Int?) throws {
        let folder = TemporaryFolder()
        folder.write("bad.jsonl", text)
        let path = folder.path + "/bad.jsonl"
        let error = try #require(throws: RecordingError.self) { try RecordingReader().read(files: [path]) }
        #expect(error.kind == kind, "\(name): \(error.description)")
        #expect(error.line == line, "\(name): \(error.description)")
        #expect(error.description.hasPrefix(path + (line.map { ":\($0):" } ?? ":")), "\(name): \(error.description)")
    }

    /// A missing file is named; a second file that starts before the first ended is out of order at its line.
    @Test func missingFileAndOrderAcrossFiles() throws {
        let folder = TemporaryFolder()
        let missing = try #require(throws: RecordingError.self) { try RecordingReader().read(files: [folder.path + "/nope.jsonl"]) }
        #expect(missing.kind == .missing && missing.description.hasPrefix(folder.path + "/nope.jsonl: "))
        folder.write("a.jsonl", Self.header + Self.quote)
        folder.write("b.jsonl", Self.header + "{\"quote\":\"AAPL\",\"bid\":\"1.00\",\"ask\":\"1.01\",\"t\":1000}\n")
        let late = try #require(throws: RecordingError.self) { try RecordingReader().read(files: [folder.path + "/a.jsonl", folder.path + "/b.jsonl"]) }
        #expect(late.kind == .outOfOrder && late.description.hasPrefix(folder.path + "/b.jsonl:2: "))
        #expect(late.description.contains("a.jsonl:2"))
    }

    /// What the format writes, the reader reads back the same: quotes exactly, alerts with their ask-side share.
    @Test func writtenLinesReadBack() throws {
        let folder = TemporaryFolder()
        let market = SyntheticMarket(seed: 11, days: 1, session: .always, quoteInterval: .seconds(600))
        try market.write(to: folder.path + "/rt.jsonl")
        let recording = try RecordingReader().read(files: [folder.path + "/rt.jsonl"])
        let again = recording.events.map(RecordingFormat.line)
        let original = try String(contentsOfFile: folder.path + "/rt.jsonl", encoding: .utf8).split(separator: "\n").dropFirst().map(String.init)
        #expect(again == original)
        #expect(recording.alertCount > 0)
    }
}
