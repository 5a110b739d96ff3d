import Foundation
import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

struct StateStoreTests {
    /// With no file the store starts empty and ACTIVE, needing no reconciliation, and writes nothing yet.
    @Test func missingFileStartsFresh() throws {
        try withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            #expect(store.loadReport.outcome == .fresh)
            #expect(!store.loadReport.reconciliationRequired)
            #expect(store.state == PersistentState.empty(at: StateSamples.start))
            #expect(store.tradingState.mode == .active)
            #expect(StateSamples.read(StateSamples.statePath(directory)) == nil)
        }
    }

    /// Everything saved comes back identical after a restart, money exactly.
    @Test func savedStateLoadsBackIdentical() throws {
        try withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let store = try StateSamples.openStore(directory, clock: clock)
            let rich = StateSamples.rich()
            try store.update { $0 = rich }
            clock.advance(by: .seconds(60))
            let reopened = try StateSamples.openStore(directory, clock: clock)
            #expect(reopened.loadReport.outcome == .loaded(savedAt: StateSamples.start))
            #expect(reopened.state == rich)
            #expect(reopened.state.realizedPnL == Decimal(string: "-1234.5678901234567890123456789")!)
            #expect(reopened.tradingState.reason == KillSwitch.reason)
        }
    }

    /// Money is written as JSON strings of exact decimals, never as binary numbers.
    @Test func moneyIsWrittenAsExactStrings() throws {
        try withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            try store.update { state in
                state.realizedPnL = Decimal(string: "0.1")! + Decimal(string: "0.2")!
                state.positions[StateSamples.aapl] = Position(
                    symbol: StateSamples.aapl, quantity: Decimal(string: "0.3")!, averageEntryPrice: Decimal(string: "123456789.123456789")!,
                    openedAt: StateSamples.start)
            }
            let text = String(decoding: try #require(StateSamples.read(StateSamples.statePath(directory))), as: UTF8.self)
            #expect(text.contains("\"realized_pnl\": \"0.3\""))
            #expect(text.contains("\"quantity\": \"0.3\""))
            #expect(text.contains("\"average_entry_price\": \"123456789.123456789\""))
            #expect(text.contains("\"schema_version\": \(StateFileFormat.currentSchemaVersion)"))
            #expect(text.contains("\"checksum\": \"sha256:"))
        }
    }

    /// Saves that reuse the lines of unchanged positions write exactly what a fresh encoding would.
    @Test func reusedLinesMatchAFreshEncoding() throws {
        try withTemporaryDirectory { directory in
            let clock = ManualClock(now: StateSamples.start)
            let store = try StateSamples.openStore(directory, clock: clock)
            try store.update { $0 = StateSamples.rich() }
            for step in 1...5 {
                clock.advance(by: .seconds(1))
                let now = clock.now
                try store.update { state in
                    state.positions[StateSamples.aapl]?.quantity += Decimal(step)
                    state.lastTradeAt[StateSamples.msft] = now
                    if step == 3 { state.positions[StateSamples.tsla] = nil }
                }
            }
            let expected = StateFileFormat.encode(store.state, savedAt: clock.now)
            #expect(StateSamples.read(StateSamples.statePath(directory)) == expected)
        }
    }

    /// The state file and the folder are private: 0600 and 0700, even under a permissive umask.
    @Test func fileIsCreatedPrivate() throws {
        try withTemporaryDirectory { directory in
            let folder = directory + "/state"
            let old = umask(0)
            defer { umask(old) }
            let store = try StateSamples.openStore(folder)
            try store.save()
            #expect(StateSamples.mode(of: StateSamples.statePath(folder)) == 0o600)
            #expect(StateSamples.mode(of: folder) == 0o700)
            #expect(StateSamples.files(in: folder, prefix: ".").isEmpty, "no temporary file is left behind")
        }
    }

    /// A schema newer than this build's is refused with a message saying why, and the file is left untouched.
    @Test func newerSchemaIsRefusedAndLeftAlone() throws {
        try withTemporaryDirectory { directory in
            let path = StateSamples.statePath(directory)
            let bytes = Array("{\"schema_version\": 9, \"saved_at\": \"2027-01-01T00:00:00Z\", \"whatever\": [1]}\n".utf8)
            try StateSamples.write(bytes, to: path)
            let error = #expect(throws: StateStoreError.self) { try StateSamples.openStore(directory) }
            #expect(error?.code == .newerSchema)
            #expect(error?.message.contains("schema version 9, newer than the 3 this build knows") == true)
            #expect(error?.message.contains("refusing to start") == true)
            #expect(StateSamples.read(path) == bytes)
            #expect(StateSamples.files(in: directory, prefix: "trading_state") == ["trading_state.json"])
        }
    }

    /// The original system's version 1 file (fixture) migrates: exact numbers, closed positions left out,
    /// naive times read as UTC, the original kept, and trading halted until reconciled.
    @Test func version1FixtureMigrates() throws {
        let fixture = try #require(Bundle.module.url(forResource: "trading_state_v1", withExtension: "json", subdirectory: "Fixtures"))
        let original = [UInt8](try Data(contentsOf: fixture))
        try withTemporaryDirectory { directory in
            try StateSamples.write(original, to: StateSamples.statePath(directory))
            let store = try StateSamples.openStore(directory)
            guard case .migrated(fromVersion: 1, let backup) = store.loadReport.outcome else {
                Issue.record("expected a migration, got \(store.loadReport.outcome)")
                return
            }
            #expect(StateSamples.read(backup) == original)
            #expect(store.loadReport.reconciliationRequired)
            let state = store.state
            let brk = Symbol("BRK.B")!
            #expect(state.positions.keys.sorted() == [StateSamples.aapl, brk, StateSamples.tsla])
            #expect(state.positions[StateSamples.aapl]?.quantity == 10)
            #expect(state.positions[StateSamples.aapl]?.averageEntryPrice == Decimal(string: "187.25")!)
            #expect(state.positions[StateSamples.tsla]?.quantity == -3)
            #expect(state.positions[brk]?.quantity == Decimal(string: "2.5")!)
            #expect(state.positions[brk]?.averageEntryPrice == Decimal(string: "412.123456789012345678")!)
            #expect(state.realizedPnL == Decimal(string: "-123.45")!)
            #expect(state.lastTradeAt[StateSamples.msft] == Timestamp(rfc3339: "2025-11-26T20:00:00Z"))
            #expect(state.lastTradeAt[StateSamples.aapl] == Timestamp(rfc3339: "2025-11-28T15:04:05.123456Z"))
            #expect(state.positions[StateSamples.aapl]?.openedAt == Timestamp(rfc3339: "2025-11-28T15:04:05.123456Z"))
            #expect(state.positions[brk]?.openedAt == StateSamples.start)
            #expect(store.tradingState.mode == .halted)
            #expect(store.tradingState.reason?.hasPrefix("FAILED_RECONCILIATION") == true)

            // Written in the current schema; the next start loads it as is.
            let reopened = try StateSamples.openStore(directory)
            #expect(reopened.loadReport.outcome == .loaded(savedAt: StateSamples.start))
            #expect(reopened.state.positions[brk] == state.positions[brk])
            #expect(reopened.state.realizedPnL == state.realizedPnL)
        }
    }

    /// A FAILED_STATE halt found in a file belongs to a past process: it is dropped at load and the file rewritten.
    @Test func staleWriteFailureHoldIsDroppedAtLoad() throws {
        try withTemporaryDirectory { directory in
            var state = StateSamples.rich()
            state.trading.hold(.stateWrite, reason: "FAILED_STATE: cannot write (old)", at: StateSamples.start)
            try StateSamples.write(StateFileFormat.encode(state, savedAt: StateSamples.start), to: StateSamples.statePath(directory))
            let store = try StateSamples.openStore(directory)
            #expect(!store.state.trading.isHeld(.stateWrite))
            #expect(store.tradingState.reason == KillSwitch.reason)
            #expect(StateSamples.decodedState(in: directory)?.trading.isHeld(.stateWrite) == false)
        }
    }

    /// Temporary files left by a writer killed mid-write are removed at the next start.
    @Test func staleTemporaryFilesAreRemoved() throws {
        try withTemporaryDirectory { directory in
            let stale = directory + "/.trading_state.json.tmp-99999"
            try StateSamples.write(Array("{\"schema".utf8), to: stale)
            let store = try StateSamples.openStore(directory)
            #expect(store.loadReport.removedTemporaryFiles == [stale])
            #expect(!FileManager.default.fileExists(atPath: stale))
        }
    }

    /// A change that would make the state invalid is refused and not applied.
    @Test func invalidChangeIsRefused() throws {
        try withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            let error = #expect(throws: StateStoreError.self) {
                try store.update { state in
                    state.positions[StateSamples.aapl] = Position(
                        symbol: StateSamples.aapl, quantity: 1, averageEntryPrice: -1, openedAt: StateSamples.start)
                }
            }
            #expect(error?.code == .invalidState)
            #expect(error?.message.contains("average entry price -1") == true)
            #expect(store.state.positions.isEmpty)
        }
    }
}
