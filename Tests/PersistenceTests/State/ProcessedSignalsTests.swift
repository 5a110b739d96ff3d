import Foundation
@testable import Persistence
@testable import Primitives
import TestSupport
import Testing

/// The processed flow alerts in the state file: kept, bounded, and migrated from version 2.
struct ProcessedSignalsTests {
    /// Processed alerts are written to the state file and read back as they were, oldest first.
    @Test func processedSignalsRoundTrip() throws {
        var state = StateSamples.rich()
        state.markProcessed("alert-1", at: StateSamples.start)
        state.markProcessed("alert \"2\"", at: StateSamples.start.advanced(by: .seconds(1)))
        let bytes = StateFileFormat.encode(state, savedAt: StateSamples.start)
        guard case .valid(let read, _, let version) = StateFileFormat.decode(bytes, now: StateSamples.start) else {
            Issue.record("not valid: \(String(decoding: bytes, as: UTF8.self))")
            return
        }
        #expect(version == 3)
        #expect(read == state)
        #expect(read.processedSignals.map(\.id) == ["alert-1", "alert \"2\""])
    }

    /// The processed set keeps the last hours and at most its limit of ids, dropping the oldest.
    @Test func processedSetIsBounded() {
        var state = PersistentState.empty(at: StateSamples.start)
        state.markProcessed("ancient", at: StateSamples.start)
        let later = StateSamples.start.advanced(by: PersistentState.processedSignalHorizon + .seconds(1))
        for index in 0..<(PersistentState.processedSignalLimit + 10) {
            state.markProcessed("alert-\(index)", at: later)
        }
        #expect(state.processedSignals.count == PersistentState.processedSignalLimit)
        #expect(!state.hasProcessed("ancient"))
        #expect(!state.hasProcessed("alert-0"))
        #expect(state.hasProcessed("alert-\(PersistentState.processedSignalLimit + 9)"))
    }

    /// A version 2 file migrates to version 3 keeping everything it held; its last processed alert
    /// becomes the first processed one; the original is kept and trading is not held for it.
    @Test func version2Migrates() throws {
        try withTemporaryDirectory { directory in
            var state = StateSamples.rich()
            state.trading = .active(since: StateSamples.start)
            state.lastFlowAlertID = "alert-9"
            try StateSamples.write(Self.version2(state), to: StateSamples.statePath(directory))
            let store = try StateSamples.openStore(directory, clock: ManualClock(now: StateSamples.start.advanced(by: .seconds(60))))
            guard case .migrated(fromVersion: 2, let backup) = store.loadReport.outcome else {
                Issue.record("not migrated: \(store.loadReport.outcome)")
                return
            }
            #expect(StateSamples.read(backup) != nil)
            #expect(!store.loadReport.reconciliationRequired)
            var expected = state
            expected.processedSignals = [ProcessedSignal(id: "alert-9", at: StateSamples.start)]
            #expect(store.state == expected)
            #expect(StateSamples.decodedState(in: directory) == expected, "written back as version 3")
            #expect(store.tradingState.mode == .active)
        }
    }

    /// A version 2 file migrated beside an order journal takes the journal's processed alerts and later
    /// trade times too, and keeps its own realised PnL and trading state.
    @Test func version2MigrationRebuildsFromTheJournal() throws {
        try withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start.advanced(by: .seconds(60)))
            let log = LogCapture()
            let journal = try OrderJournal(path: directory + "/orders.jsonl", clock: clock, logger: log.logger)
            try journal.append(.intent(OrderIntent(
                clientOrderID: "bw-9", symbol: StateSamples.aapl, side: .sell, quantity: 10, limitPrice: nil, createdAt: clock.now,
                alertID: "alert-put", closeRule: .putSignal)))
            try journal.append(.filled(OrderFill(clientOrderID: "bw-9", symbol: StateSamples.aapl, side: .sell, quantity: 10, price: 190, isComplete: true)))
            var state = StateSamples.rich()
            state.lastFlowAlertID = "alert-9"
            try PrivateDirectory.prepare(directory + "/state")
            try StateSamples.write(Self.version2(state), to: StateSamples.statePath(directory + "/state"))
            let store = try StateStore(
                directory: directory + "/state", clock: clock, logger: log.logger, history: { journal.signalHistory() })
            #expect(store.state.processedSignals.map(\.id) == ["alert-9", "alert-put"])
            #expect(store.state.lastTradeAt[StateSamples.aapl] == clock.now)
            #expect(store.state.realizedPnL == state.realizedPnL)
            #expect(store.state.trading == state.trading)
        }
    }

    /// A version 2 file: version 3 without the processed alerts, checksummed.
    static func version2(_ state: PersistentState) -> [UInt8] {
        var text = String(decoding: StateFileFormat.encode(state, savedAt: StateSamples.start), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"schema_version\": 3", with: "\"schema_version\": 2")
        text = text.replacingOccurrences(of: "  \"processed_signals\": [],\n", with: "")
        let body = String(text[..<text.range(of: "  \"checksum\"")!.lowerBound])
        return Array((body + "  \"checksum\": \"sha256:\(StateChecksum.hexDigest(of: body.utf8))\"\n}\n").utf8)
    }
}
