import Foundation
import Logging
@testable import Persistence
@testable import Primitives
import TestSupport
import Testing

/// Special files where Bulwark's files belong: refused at once, naming the path and what is there.
struct HostileFileTests {
    /// A FIFO at state/trading_state.json does not block `doctor`'s inspection; it is reported as a named pipe.
    @Test func fifoStateFileDoesNotBlockInspection() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/" + StateFileFormat.fileName
        makeFIFO(path)
        let inspection = try #require(
            finishing(within: 10, unblock: { releaseFIFOReader(path) }) { StateDoctor.inspect(directory: folder.path) },
            "StateDoctor.inspect blocked on the FIFO for 10 s")
        #expect(!inspection.isUsable)
        #expect(inspection.summary.contains(path) && inspection.summary.contains("named pipe"), "\(inspection.summary)")
    }

    /// A FIFO at state/trading_state.json does not block the store's start: it is moved aside like a corrupt file.
    @Test func fifoStateFileDoesNotBlockTheStore() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/" + StateFileFormat.fileName
        makeFIFO(path)
        let outcome = try #require(
            finishing(within: 10, unblock: { releaseFIFOReader(path) }) { () -> String in
                do {
                    let store = try StateStore(directory: folder.path, clock: ManualClock(), bus: nil, logger: Logger(label: "test"))
                    return "\(store.loadReport.outcome)"
                } catch {
                    return "error: \(error)"
                }
            },
            "opening the store blocked on the FIFO for 10 s")
        #expect(outcome.contains("named pipe"), "\(outcome)")
    }

    /// A FIFO or a folder at logs/orders.jsonl is refused when the journal opens, naming what it is.
    @Test func specialJournalFileIsRefused() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/orders.jsonl"
        makeFIFO(path)
        let outcome = try #require(
            finishing(within: 10, unblock: { releaseFIFOWriter(path) }) { () -> String in
                do {
                    _ = try OrderJournal(path: path, clock: ManualClock(), logger: Logger(label: "test"))
                    return "opened"
                } catch {
                    return "\(error)"
                }
            },
            "opening the journal blocked on the FIFO for 10 s")
        #expect(outcome.contains(path) && outcome.contains("named pipe"), "\(outcome)")
    }

    /// A FIFO at logs/bulwark.log is refused when the log opens, not waited on for a reader.
    @Test func fifoLogFileIsRefused() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/bulwark.log"
        makeFIFO(path)
        let outcome = try #require(
            finishing(within: 10, unblock: { releaseFIFOWriter(path) }) { () -> String in
                do {
                    _ = try LogFile(path: path)
                    return "opened"
                } catch {
                    return "\(error)"
                }
            },
            "opening the log blocked on the FIFO for 10 s")
        #expect(outcome.contains(path) && outcome.contains("named pipe"), "\(outcome)")
    }

    /// A state file in the version 1 layout that says "version": 2 is described as what it is, not as
    /// a newer schema.
    @Test func version1LayoutWithVersion2SaysWhatItIs() {
        let bytes = Array(#"{"version": 2, "positions": {}, "pnl": 0}"#.utf8)
        switch StateFileFormat.decode(bytes, now: Timestamp(sinceEpoch: .seconds(1_767_623_400))) {
        case .corrupt(let reason):
            #expect(reason.contains("version 1 layout") && reason.contains("\"version\": 2"), "\(reason)")
        case let other:
            Issue.record("expected a description of the file, got \(other)")
        }
    }
}
