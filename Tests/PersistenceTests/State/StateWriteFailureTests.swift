import Foundation
import Logging
import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

/// Write failures made real without a seam. Tests run as root, for whom a read-only mode does not stop a
/// write, so the failure comes from something in the way instead: a non-empty folder where the state file
/// must be renamed to (rename fails, "Is a directory"), or a regular file where the state folder must be
/// (creating the temporary file fails, "Not a directory"). Both fail for root as for anyone.
struct StateWriteFailureTests {
    /// A failed write halts trading with a reason naming the failure, keeps the change in memory, publishes
    /// and logs it; retries follow the backoff on the manual clock, and once the cause is gone a retry writes
    /// the state and lifts that halt.
    @Test func blockedRenameHaltsThenRetrySucceeds() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let bus = EventBus(clock: clock)
            let log = LogCapture()
            let store = try StateSamples.openStore(directory, clock: clock, bus: bus, log: log)
            let before = bus.publishedCount
            let events = bus.subscribe(name: "test")
            let path = StateSamples.statePath(directory)
            try FileManager.default.createDirectory(atPath: path + "/in-the-way", withIntermediateDirectories: true)

            let error = #expect(throws: StateStoreError.self) { try store.update { $0.lastFlowAlertID = "alert-1" } }
            #expect(error?.code == .writeFailed)
            #expect(error?.message.contains("Is a directory") == true)
            #expect(store.state.lastFlowAlertID == "alert-1", "the change is kept in memory")
            let halted = store.tradingState
            #expect(halted.mode == .halted)
            #expect(halted.actor == .system)
            #expect(halted.reason?.hasPrefix("FAILED_STATE: cannot write \(path)") == true)
            #expect(halted.reason?.contains("Is a directory") == true)
            #expect(store.writeFailure != nil)
            #expect(StateSamples.files(in: directory, prefix: ".").isEmpty, "no temporary file is left behind")
            #expect(log.lines.contains { $0.level == .error && $0.metadata["error"]?.contains("Is a directory") == true })
            let published = await events.take(Int(bus.publishedCount - before))
            #expect(published.map(\.kind.name).contains("trading_state"))

            // Backoff on the manual clock: 1 s, then 2 s.
            #expect(store.retryPendingWriteIfDue() == .notDue(until: StateSamples.start.advanced(by: .seconds(1))))
            clock.advance(by: .seconds(1))
            guard case .failed = store.retryPendingWriteIfDue() else {
                Issue.record("the retry should still fail while the folder is in the way")
                return
            }
            #expect(store.nextWriteRetryAt == clock.now.advanced(by: .seconds(2)))
            try FileManager.default.removeItem(atPath: path)
            clock.advance(by: .seconds(1))
            #expect(store.retryPendingWriteIfDue() == .notDue(until: clock.now.advanced(by: .seconds(1))))
            clock.advance(by: .seconds(1))
            #expect(store.retryPendingWriteIfDue() == .written)

            #expect(store.tradingState.mode == .active)
            #expect(store.writeFailure == nil)
            #expect(store.retryPendingWriteIfDue() == .nothingPending)
            let saved = try #require(StateSamples.decodedState(in: directory))
            #expect(saved.lastFlowAlertID == "alert-1")
            #expect(saved.trading.holds.isEmpty)
            #expect(StateSamples.mode(of: path) == 0o600)
        }
    }

    /// A regular file where the state folder should be fails the write ("Not a directory"); once the folder
    /// is back, `retryPendingWrite()` succeeds.
    @Test func fileInPlaceOfFolderHaltsThenRetrySucceeds() throws {
        try withTemporaryDirectory { directory in
            let folder = directory + "/state"
            let store = try StateSamples.openStore(folder)
            #expect(try store.retryPendingWrite() == false, "nothing pending yet")
            try FileManager.default.removeItem(atPath: folder)
            try StateSamples.write(Array("not a folder".utf8), to: folder)

            let error = #expect(throws: StateStoreError.self) { try store.update { $0.realizedPnL = 42 } }
            #expect(error?.message.contains("Not a directory") == true)
            #expect(store.tradingState.reason?.contains("Not a directory") == true)
            #expect(throws: StateStoreError.self) { try store.retryPendingWrite() }

            try FileManager.default.removeItem(atPath: folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            #expect(try store.retryPendingWrite())
            #expect(store.tradingState.mode == .active)
            #expect(StateSamples.decodedState(in: folder)?.realizedPnL == 42)
        }
    }

    /// Recovering from a failed write lifts only the FAILED_STATE halt: an operator's halt stays.
    @Test func recoveryKeepsOperatorHalt() throws {
        try withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            try store.choose(.halted, reason: "operator: investigating")
            let path = StateSamples.statePath(directory)
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(atPath: path + "/x", withIntermediateDirectories: true)
            #expect(throws: StateStoreError.self) { try store.update { $0.lastFlowAlertID = "a" } }
            #expect(store.tradingState.reason?.hasPrefix("FAILED_STATE") == true)
            try FileManager.default.removeItem(atPath: path)
            try store.save()
            #expect(store.tradingState == TradingState(mode: .halted, reason: "operator: investigating", actor: .operator, since: StateSamples.start))
        }
    }
}
