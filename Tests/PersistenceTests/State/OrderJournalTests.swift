import Foundation
import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

struct OrderJournalTests {
    static let records: [OrderJournalEntry.Record] = [
        .intent(
            OrderIntent(
                clientOrderID: "bw-1", symbol: StateSamples.aapl, side: .buy, quantity: Decimal(string: "10.5")!,
                limitPrice: Decimal(string: "187.25")!, createdAt: StateSamples.start)),
        .submitted(OrderSubmission(clientOrderID: "bw-1", brokerOrderID: "b-77", symbol: StateSamples.aapl, side: .buy, quantity: Decimal(string: "10.5")!)),
        .filled(OrderFill(clientOrderID: "bw-1", symbol: StateSamples.aapl, side: .buy, quantity: 4, price: Decimal(string: "187.2")!, isComplete: false)),
        .brokerRejected(OrderRejection(clientOrderID: "bw-2", symbol: StateSamples.tsla, side: .sell, reason: "insufficient qty \"available\": 0")),
        .guardRejected(
            GuardRejection(symbol: "MSFT", side: .buy, quantity: 20, check: "max_notional_per_order", message: "order notional 8200 over 2000",
                limit: "2000", actual: "8200")),
        .canceled(OrderRejection(clientOrderID: "bw-1", symbol: StateSamples.aapl, side: .buy, reason: "canceled")),
        .command(CommandResult(id: 7, command: .resume, actor: CommandActor(kind: .ctl, detail: "uid 0 pid 42"), accepted: false,
            message: "superseded by a later halt; trading stays HALTED")),
        .command(CommandResult(id: 8, command: .chaos(.latency, on: true), actor: .console, accepted: true, message: "chaos latency on")),
        .command(CommandResult(id: 9, command: .flattenAll, actor: .system, accepted: true, message: "closing")),
        .command(CommandResult(id: 10, command: .closePosition(StateSamples.tsla), actor: .console, accepted: true, message: "2 TSLA will be closed")),
    ]

    /// Every kind of order event is appended as one JSON line (money as strings) and reads back identical.
    @Test func appendsEveryKindAndReadsBack() throws {
        try withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let journal = try OrderJournal(path: directory + "/logs/orders.jsonl", clock: clock, logger: LogCapture().logger)
            var expected: [OrderJournalEntry] = []
            for record in Self.records {
                try journal.append(record)
                expected.append(OrderJournalEntry(timestamp: clock.now, record: record))
                clock.advance(by: .milliseconds(250))
            }
            let contents = try journal.read()
            #expect(contents.entries == expected)
            #expect(contents.tornLastLine == nil && contents.invalidLines.isEmpty)
            #expect(StateSamples.mode(of: journal.path) == 0o600)
            #expect(StateSamples.mode(of: directory + "/logs") == 0o700)

            let lines = String(decoding: try #require(StateSamples.read(journal.path)), as: UTF8.self).split(separator: "\n")
            #expect(lines.count == Self.records.count)
            #expect(lines[0].contains("\"event\":\"intent\""))
            #expect(lines[0].contains("\"quantity\":\"10.5\""))
            #expect(lines[4].contains("\"check\":\"max_notional_per_order\",\"limit\":\"2000\",\"actual\":\"8200\""))
            for line in lines {
                #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any])
            }
        }
    }

    /// A last line torn by a crash is skipped and reported; reopening starts the next entry on a new line.
    @Test func tornLastLineIsSkippedAndReported() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/orders.jsonl"
            let journal = try OrderJournal(path: path, clock: ManualClock(now: StateSamples.start), logger: LogCapture().logger)
            try journal.append(Self.records[0])
            try journal.append(Self.records[1])
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("{\"ts\":\"2026-01-05T14:3".utf8))
            try handle.close()

            let torn = try OrderJournal.read(path: path)
            #expect(torn.entries.count == 2)
            #expect(torn.tornLastLine == "{\"ts\":\"2026-01-05T14:3")
            #expect(torn.invalidLines.isEmpty)

            let log = LogCapture()
            let reopened = try OrderJournal(path: path, clock: ManualClock(now: StateSamples.start), logger: log.logger)
            try reopened.append(Self.records[2])
            let after = try reopened.read()
            #expect(after.entries.map(\.record) == [Self.records[0], Self.records[1], Self.records[2]])
            #expect(after.tornLastLine == nil)
            #expect(after.invalidLines.map(\.number) == [3], "the torn line stays, reported as invalid")
            #expect(log.contains("torn line"))
        }
    }

    /// The journal rotates at its size limit to .1 … .N, newest first, dropping the oldest; files stay 0600.
    @Test func rotatesBySize() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/orders.jsonl"
            let clock = ManualClock(now: StateSamples.start)
            let journal = try OrderJournal(path: path, maximumBytes: 1000, rotatedFiles: 3, clock: clock, logger: LogCapture().logger)
            var written: [OrderJournalEntry] = []
            for index in 0..<60 {
                let record = OrderJournalEntry.Record.canceled(
                    OrderRejection(clientOrderID: "bw-\(index)", symbol: StateSamples.aapl, side: .buy, reason: "canceled"))
                try journal.append(record)
                written.append(OrderJournalEntry(timestamp: clock.now, record: record))
                clock.advance(by: .seconds(1))
            }
            let names = StateSamples.files(in: directory, prefix: "orders.jsonl")
            #expect(names == ["orders.jsonl", "orders.jsonl.1", "orders.jsonl.2", "orders.jsonl.3"])
            var kept: [OrderJournalEntry] = []
            for file in [journal.rotatedPath(3), journal.rotatedPath(2), journal.rotatedPath(1), path] {
                let size = try #require(StateSamples.read(file)).count
                #expect(size <= 1000)
                #expect(StateSamples.mode(of: file) == 0o600)
                kept += try OrderJournal.read(path: file).entries
            }
            #expect(!kept.isEmpty && kept.count < written.count)
            #expect(kept == Array(written.suffix(kept.count)), "the newest entries are kept, in order, none lost in between")
        }
    }
}
