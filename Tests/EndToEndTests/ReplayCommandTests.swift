import Foundation
import TestSupport
import Testing

struct ReplayCommandTests {
    /// `bulwark record --synthetic` then `bulwark replay` twice: the same bytes on stdout both times, exit 0.
    @Test func recordThenReplayIsDeterministic() async throws {
        let folder = TemporaryFolder()
        let record = try await BinaryRunner.run(
            ["record", "--synthetic", "--seed", "5", "--days", "1", "--symbols", "AAPL", "-o", "day.jsonl"], in: folder.path)
        #expect(record.status == 0, "\(record.stderr)")
        let first = try await BinaryRunner.run(["replay", "day.jsonl"], in: folder.path)
        let second = try await BinaryRunner.run(["replay", "day.jsonl"], in: folder.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("Replay of day.jsonl: 23400 quotes"), "\(first.stdout)")
        #expect(first.stdout == second.stdout)
    }

    /// A cut-off recording exits 65 naming FILE:LINE on stderr; a --vary with an empty range exits 64.
    @Test func badInputExitCodes() async throws {
        let folder = TemporaryFolder()
        folder.write("cut.jsonl", "{\"bulwark_market\":1}\n{\"quote\":\"AAPL\",\"bid\":\"1\"")
        let cut = try await BinaryRunner.run(["replay", "cut.jsonl"], in: folder.path)
        #expect(cut.status == 65)
        #expect(cut.stderr.contains("cut.jsonl:2: the last line ends without a newline"), "\(cut.stderr)")
        #expect(cut.stdout.isEmpty)
        let empty = try await BinaryRunner.run(["tune", "cut.jsonl", "--vary", "MIN_COOLDOWN_MINUTES=5:1:1"], in: folder.path)
        #expect(empty.status == 64)
        #expect(empty.stderr.contains("the range is empty"), "\(empty.stderr)")
        let unknown = try await BinaryRunner.run(["tune", "cut.jsonl", "--vary", "NOPE=1:2:1"], in: folder.path)
        #expect(unknown.status == 64)
    }

    /// `replay --report` writes the same HTML page twice with stdout unchanged and no progress bar on a
    /// stderr that is not a terminal; a report in a missing folder exits 73 before anything runs.
    @Test func reportIsWrittenWholeAndTheSame() async throws {
        let folder = TemporaryFolder()
        let record = try await BinaryRunner.run(
            ["record", "--synthetic", "--seed", "5", "--days", "1", "--symbols", "AAPL", "-o", "day.jsonl"], in: folder.path)
        #expect(record.status == 0, "\(record.stderr)")
        let plain = try await BinaryRunner.run(["replay", "day.jsonl"], in: folder.path)
        let first = try await BinaryRunner.run(["replay", "day.jsonl", "--report", "one.html"], in: folder.path)
        let second = try await BinaryRunner.run(["replay", "day.jsonl", "--report", "two.html"], in: folder.path)
        #expect(first.status == 0 && second.status == 0, "\(first.stderr)")
        #expect(first.stdout == plain.stdout && first.stderr.isEmpty)
        let one = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/one.html"))
        let two = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/two.html"))
        #expect(one == two && one.count > 1_000)
        let bad = try await BinaryRunner.run(["replay", "day.jsonl", "--report", "nope/r.html"], in: folder.path)
        #expect(bad.status == 73)
        #expect(bad.stderr.contains("nope/r.html") && bad.stderr.contains("does not exist"), "\(bad.stderr)")
        #expect(bad.stdout.isEmpty)
    }
}
