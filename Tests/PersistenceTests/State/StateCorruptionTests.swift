import Foundation
import Logging
import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

/// One way a state file can be broken.
struct Corruption: Sendable, CustomTestStringConvertible {
    var name: String
    /// The bytes to put in place of the file, from a valid file's bytes; `nil` puts a folder there instead.
    var make: @Sendable ([UInt8]) -> [UInt8]?
    /// What the problem must mention.
    var problem: String

    var testDescription: String { name }

    static func replacing(_ name: String, _ old: String, _ new: String, problem: String) -> Corruption {
        Corruption(name: name, make: { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            precondition(text.contains(old), "sample has no \(old)")
            return Array(text.replacingOccurrences(of: old, with: new).utf8)
        }, problem: problem)
    }

    /// A state the store would never write, encoded with a correct checksum: only validation can catch it.
    static func checksummed(_ name: String, problem: String, _ change: @escaping @Sendable (inout PersistentState) -> Void) -> Corruption {
        Corruption(name: name, make: { _ in
            var state = StateSamples.rich()
            change(&state)
            return StateFileFormat.encode(state, savedAt: StateSamples.start)
        }, problem: problem)
    }

    static let all: [Corruption] = [
        Corruption(name: "empty", make: { _ in [] }, problem: "empty"),
        Corruption(name: "not JSON", make: { _ in Array("trading state, probably\n".utf8) }, problem: "not valid JSON"),
        Corruption(name: "binary garbage", make: { _ in [0x00, 0xff, 0xfe, 0x7b, 0x22, 0x80] }, problem: "not valid JSON"),
        Corruption(name: "JSON array", make: { _ in Array("[2, 3]".utf8) }, problem: "expected an object"),
        Corruption(name: "truncated", make: { Array($0.prefix($0.count / 2)) }, problem: "not valid JSON"),
        Corruption(name: "folder in its place", make: { _ in nil }, problem: "it is a folder, not a regular file"),
        .replacing("wrong type: money as a number", "\"realized_pnl\": \"-1234.5678901234567890123456789\"", "\"realized_pnl\": -1234.5", problem: "realized_pnl"),
        .replacing("wrong type: schema_version as a string", "\"schema_version\": 3", "\"schema_version\": \"3\"", problem: "schema_version"),
        .replacing("missing field", "  \"pending_intents\": [", "  \"pending\": [", problem: "missing field pending_intents"),
        .replacing("checksum mismatch", "\"quantity\": \"10\"", "\"quantity\": \"11\"", problem: "checksum mismatch"),
        .replacing("non-finite money", "\"realized_pnl\": \"-1234.5678901234567890123456789\"", "\"realized_pnl\": \"NaN\"", problem: "not an exact decimal"),
        .replacing("exponent money", "\"quantity\": \"10\"", "\"quantity\": \"1e1\"", problem: "not an exact decimal"),
        .replacing("unknown mode", "\"mode\": \"REDUCING\"", "\"mode\": \"PANIC\"", problem: "mode"),
        .replacing("unknown halt code", "\"code\": \"KILL_SWITCH\"", "\"code\": \"NAP\"", problem: "not a known halt code"),
        .replacing("bad symbol", "\"symbol\": \"AAPL\"", "\"symbol\": \"aapl!\"", problem: "ticker symbol"),
        .replacing("bad time", "\"saved_at\": \"2026-01-05T14:30:00.000Z\"", "\"saved_at\": \"yesterday\"", problem: "RFC 3339"),
        .replacing("schema_version 0", "\"schema_version\": 3", "\"schema_version\": 0", problem: "not one Bulwark ever wrote"),
        .checksummed("negative price", problem: "must be positive") { state in
            state.positions[StateSamples.aapl]?.averageEntryPrice = -5
        },
        .checksummed("zero quantity", problem: "quantity 0") { state in
            state.positions[StateSamples.aapl]?.quantity = 0
        },
        .checksummed("negative intent quantity", problem: "must be positive") { state in
            state.pendingIntents[0].quantity = -1
        },
        .checksummed("duplicate intent", problem: "appears twice") { state in
            state.pendingIntents[1].clientOrderID = state.pendingIntents[0].clientOrderID
        },
        Corruption(name: "version 1 with NaN", make: { _ in
            Array("{\"version\": 1, \"positions\": {}, \"pnl\": NaN, \"trade_timestamps\": {}}".utf8)
        }, problem: "not valid JSON"),
        Corruption(name: "version 1 with a negative price", make: { _ in
            Array("{\"version\": 1, \"positions\": {\"AAPL\": {\"qty\": 1, \"avg_price\": -2}}, \"pnl\": 0, \"trade_timestamps\": {}}".utf8)
        }, problem: "must be positive"),
        Corruption(name: "version 1 missing pnl", make: { _ in
            Array("{\"version\": 1, \"positions\": {}, \"trade_timestamps\": {}}".utf8)
        }, problem: "missing field pnl"),
    ]
}

struct StateCorruptionTests {
    /// Each kind of corruption is moved aside to a backup named in an event and a log line; the store starts
    /// empty, halted until reconciled, and writes a valid file.
    @Test(arguments: Corruption.all)
    func corruptFileIsSetAside(_ corruption: Corruption) async throws {
        try await withTemporaryDirectory { directory in
            let path = StateSamples.statePath(directory)
            let valid = StateFileFormat.encode(StateSamples.rich(), savedAt: StateSamples.start)
            let broken = corruption.make(valid)
            if let broken {
                try StateSamples.write(broken, to: path)
            } else {
                try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
            }
            let bus = EventBus(clock: ManualClock(now: StateSamples.start))
            let events = bus.subscribe(name: "test")
            let log = LogCapture()
            let store = try StateSamples.openStore(directory, bus: bus, log: log)

            guard case .healed(let healing) = store.loadReport.outcome else {
                Issue.record("\(corruption.name): expected healing, got \(store.loadReport.outcome)")
                return
            }
            #expect(healing.backupPath == path + ".corrupt.20260105T143000Z")
            #expect(healing.problem.contains(corruption.problem), "problem was: \(healing.problem)")
            if let broken {
                #expect(StateSamples.read(healing.backupPath) == broken)
                #expect(StateSamples.mode(of: healing.backupPath) == 0o600)
            } else {
                #expect(FileManager.default.fileExists(atPath: healing.backupPath + "/inside"))
            }
            #expect(store.loadReport.reconciliationRequired)
            #expect(store.state.positions.isEmpty && store.state.pendingIntents.isEmpty)
            #expect(store.tradingState.mode == .halted)
            #expect(store.tradingState.reason?.hasPrefix("FAILED_RECONCILIATION") == true)
            #expect(store.tradingState.reason?.contains(healing.backupPath) == true)
            #expect(StateSamples.decodedState(in: directory) == store.state, "a valid empty state is written")

            let published = await events.take(Int(bus.publishedCount))
            #expect(published.contains { event in
                if case .stateHealed(let healed) = event.kind { return healed == healing }
                return false
            })
            #expect(log.lines.contains { $0.level == .error && $0.metadata["backup"] == healing.backupPath })
        }
    }

    /// A second corrupt file at the same second never overwrites the first backup: it gets a suffix.
    @Test func backupsAreNeverOverwritten() throws {
        try withTemporaryDirectory { directory in
            let path = StateSamples.statePath(directory)
            var backups: [String] = []
            for round in 0..<3 {
                try StateSamples.write(Array("broken \(round)".utf8), to: path)
                let store = try StateSamples.openStore(directory)
                guard case .healed(let healing) = store.loadReport.outcome else {
                    Issue.record("round \(round) did not heal")
                    return
                }
                backups.append(healing.backupPath)
            }
            let base = path + ".corrupt.20260105T143000Z"
            #expect(backups == [base, base + ".1", base + ".2"])
            for (round, backup) in backups.enumerated() {
                #expect(StateSamples.read(backup) == Array("broken \(round)".utf8))
            }
        }
    }

    /// A file cut at every byte offset is either detected and kept as a backup, or (only without its final
    /// newline) loads as the same state; nothing crashes.
    @Test func truncationAtEveryOffset() throws {
        try withTemporaryDirectory { directory in
            let path = StateSamples.statePath(directory)
            let rich = StateSamples.rich()
            let valid = StateFileFormat.encode(rich, savedAt: StateSamples.start)
            let clock = ManualClock(now: StateSamples.start)
            var healed = 0
            for length in 0..<valid.count {
                let truncated = Array(valid.prefix(length))
                try StateSamples.write(truncated, to: path)
                clock.advance(by: .seconds(1))
                let store = try StateStore(directory: directory, clock: clock, logger: LogCapture().logger)
                switch store.loadReport.outcome {
                case .healed(let healing):
                    healed += 1
                    #expect(StateSamples.read(healing.backupPath) == truncated, "offset \(length)")
                    try FileManager.default.removeItem(atPath: healing.backupPath)
                case .loaded:
                    #expect(store.state == rich, "offset \(length) loaded a different state")
                    #expect(length == valid.count - 1, "offset \(length) should not be loadable")
                default:
                    Issue.record("offset \(length): \(store.loadReport.outcome)")
                }
            }
            #expect(healed >= valid.count - 1)
        }
    }

    /// Random bit flips (seeded) are detected and kept as a backup, or refused as a newer schema with the file
    /// untouched, or (outside the checksummed bytes) leave the very same state; none crashes.
    @Test func randomBitFlips() throws {
        try withTemporaryDirectory { directory in
            let path = StateSamples.statePath(directory)
            let rich = StateSamples.rich()
            let valid = StateFileFormat.encode(rich, savedAt: StateSamples.start)
            let clock = ManualClock(now: StateSamples.start)
            var generator = SeededGenerator(seed: 0xB17_F11B)
            var outcomes: [String: Int] = [:]
            for round in 0..<600 {
                var flipped = valid
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    let bit = Int.random(in: 0..<(valid.count * 8), using: &generator)
                    flipped[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
                }
                try StateSamples.write(flipped, to: path)
                clock.advance(by: .seconds(1))
                do {
                    let store = try StateStore(directory: directory, clock: clock, logger: LogCapture().logger)
                    switch store.loadReport.outcome {
                    case .healed(let healing):
                        outcomes["healed", default: 0] += 1
                        #expect(StateSamples.read(healing.backupPath) == flipped, "round \(round)")
                        try FileManager.default.removeItem(atPath: healing.backupPath)
                    case .loaded:
                        outcomes["same state", default: 0] += 1
                        #expect(store.state == rich, "round \(round) loaded a different state")
                    default:
                        Issue.record("round \(round): \(store.loadReport.outcome)")
                    }
                } catch let error as StateStoreError where error.code == .newerSchema {
                    outcomes["refused", default: 0] += 1
                    #expect(StateSamples.read(path) == flipped, "round \(round): a refused file is left untouched")
                }
            }
            #expect(outcomes["healed", default: 0] > 500, "outcomes: \(outcomes)")
        }
    }
}
