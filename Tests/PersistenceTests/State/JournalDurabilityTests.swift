import Foundation
import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

/// The journal is as durable as the state: a failed journal write holds trading as a failed state write does.
struct JournalDurabilityTests {
    struct Rig {
        let clock = ManualClock(now: StateSamples.start)
        let log = LogCapture()
        let stateDirectory: String
        let store: StateStore
        let journal: OrderJournal
        let obstacle: JournalObstacle

        init(_ directory: String) throws {
            stateDirectory = directory + "/state"
            store = try StateSamples.openStore(stateDirectory, clock: clock, log: log)
            journal = try OrderJournal(path: directory + "/logs/orders.jsonl", maximumBytes: 1, rotatedFiles: 3, clock: clock, logger: log.logger)
            obstacle = JournalObstacle(journal)
            store.holdWhileJournalFails(journal)
        }
    }

    static let records = Array(OrderJournalTests.records.prefix(4))

    /// A journal write that fails holds trading HALTED with FAILED_JOURNAL (actor system, saved in the state
    /// file) and keeps the line; later lines queue behind it; the retries (through the state store's tick)
    /// follow the backoff on the manual clock; once the cause is gone the kept lines are written in order
    /// and the hold is released.
    @Test func failedWriteHoldsUntilTheKeptLinesAreWritten() throws {
        try withTemporaryDirectory { directory in
            let rig = try Rig(directory)
            try rig.journal.append(Self.records[0])
            try rig.obstacle.place()

            let error = #expect(throws: OrderJournal.WriteError.self) { try rig.journal.append(Self.records[1]) }
            #expect(error?.message.contains("Is a directory") == true)
            let held = rig.store.tradingState
            #expect(held.mode == .halted)
            #expect(held.actor == .system)
            #expect(held.reason?.hasPrefix("FAILED_JOURNAL: order journal \(rig.journal.path): rotating") == true)
            #expect(StateSamples.decodedState(in: rig.stateDirectory)?.trading.isHeld(.journalWrite) == true, "the hold is saved")
            #expect(rig.log.contains("order journal write failed; trading is halted until it succeeds"))

            rig.clock.advance(by: .milliseconds(500))
            #expect(throws: OrderJournal.WriteError.self) { try rig.journal.append(Self.records[2]) }
            #expect(rig.journal.pendingLines == 2, "a later line waits behind the kept one")

            // The backoff after two failures in a row: 2 s from the last.
            let due = rig.clock.now.advanced(by: .seconds(2))
            #expect(rig.journal.nextRetryAt == due)
            #expect(rig.store.retryPendingWriteIfDue() == .nothingPending, "the state itself writes")
            #expect(rig.journal.pendingLines == 2)
            rig.clock.advance(by: .seconds(2))
            rig.store.retryPendingWriteIfDue()
            #expect(rig.journal.nextRetryAt == rig.clock.now.advanced(by: .seconds(4)), "the retry was made, and failed")
            #expect(rig.store.tradingState.mode == .halted)

            try rig.obstacle.remove()
            #expect(rig.journal.retryPendingIfDue() == .notDue(until: rig.clock.now.advanced(by: .seconds(4))))
            rig.clock.advance(by: .seconds(4))
            rig.store.retryPendingWriteIfDue()
            #expect(rig.journal.pendingLines == 0)
            #expect(rig.journal.writeFailure == nil)
            #expect(rig.store.tradingState.mode == .active)
            #expect(StateSamples.decodedState(in: rig.stateDirectory)?.trading.holds.isEmpty == true)
            #expect(try rig.obstacle.entriesOnDisk().map(\.record) == Array(Self.records.prefix(3)), "every line, once, in order")
            #expect(rig.log.contains("order journal written again after failures"))
        }
    }

    /// The journal writing again releases FAILED_JOURNAL only: an operator's halt stays; the next append
    /// writes the kept lines before its own.
    @Test func recoveryReleasesOnlyItsHold() throws {
        try withTemporaryDirectory { directory in
            let rig = try Rig(directory)
            try rig.journal.append(Self.records[0])
            try rig.obstacle.place()
            #expect(throws: OrderJournal.WriteError.self) { try rig.journal.append(Self.records[1]) }
            try rig.store.choose(.halted, reason: "operator halt")
            try rig.obstacle.remove()
            try rig.journal.append(Self.records[2])
            #expect(rig.store.state.trading.holds.isEmpty)
            #expect(rig.store.tradingState == TradingState(mode: .halted, reason: "operator halt", actor: .operator, since: StateSamples.start))
            #expect(try rig.obstacle.entriesOnDisk().map(\.record) == Array(Self.records.prefix(3)))
        }
    }

    /// A FAILED_JOURNAL hold saved by an earlier process is released when the store links a journal that
    /// writes; a store linked to a failing journal holds at once.
    @Test func linkingDecidesAnew() throws {
        try withTemporaryDirectory { directory in
            let stateDirectory = directory + "/state"
            let journal = try OrderJournal(path: directory + "/logs/orders.jsonl", maximumBytes: 1, rotatedFiles: 2, logger: LogCapture().logger)
            let old = try StateSamples.openStore(stateDirectory)
            try old.hold(.journalWrite, reason: "FAILED_JOURNAL: an earlier process")
            let store = try StateSamples.openStore(stateDirectory)
            #expect(store.state.trading.isHeld(.journalWrite))
            store.holdWhileJournalFails(journal)
            #expect(store.tradingState.mode == .active)

            let obstacle = JournalObstacle(journal)
            try journal.append(Self.records[0])
            try obstacle.place()
            #expect(throws: OrderJournal.WriteError.self) { try journal.append(Self.records[1]) }
            let next = try StateSamples.openStore(directory + "/state-next")
            next.holdWhileJournalFails(journal)
            #expect(next.state.trading.isHeld(.journalWrite), "a failing journal holds a store linked to it at once")
            #expect(next.retryJournalWrite()?.contains("Is a directory") == true)
            try obstacle.remove()
            #expect(next.retryJournalWrite() == nil)
            #expect(next.tradingState.mode == .active)
        }
    }
}
