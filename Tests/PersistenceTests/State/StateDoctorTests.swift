import Foundation
import Persistence
import TestSupport
import Testing

struct StateDoctorTests {
    /// The doctor reports ok, missing, corrupt (with why) and newer schema, and changes nothing.
    @Test func reportsEachStatusWithoutChangingAnything() throws {
        try withTemporaryDirectory { directory in
            let path = StateSamples.statePath(directory)
            let clock = ManualClock(now: StateSamples.start)
            #expect(StateDoctor.inspect(directory: directory, clock: clock).status == .missing)

            let valid = StateFileFormat.encode(StateSamples.rich(), savedAt: StateSamples.start)
            try StateSamples.write(valid, to: path)
            let ok = StateDoctor.inspect(directory: directory, clock: clock)
            #expect(ok.status == .ok(schemaVersion: StateFileFormat.currentSchemaVersion, savedAt: StateSamples.start, positions: 2, pendingIntents: 2, tradingState: StateSamples.rich().tradingState))
            #expect(ok.isUsable)
            #expect(ok.summary.hasPrefix("ok: \(path) schema \(StateFileFormat.currentSchemaVersion)"))

            var broken = valid
            broken[broken.count / 2] ^= 0x01
            try StateSamples.write(broken, to: path)
            let corrupt = StateDoctor.inspect(directory: directory, clock: clock)
            guard case .corrupt(let why) = corrupt.status else {
                Issue.record("expected corrupt, got \(corrupt.status)")
                return
            }
            #expect(!why.isEmpty)
            #expect(!corrupt.isUsable)
            #expect(StateSamples.read(path) == broken, "the doctor never moves or rewrites the file")

            try StateSamples.write(Array("{\"schema_version\": 9}".utf8), to: path)
            #expect(StateDoctor.inspect(directory: directory, clock: clock).status == .newerSchema(found: 9, supported: StateFileFormat.currentSchemaVersion))

            #expect(FileManager.default.createFile(atPath: directory + "/HALT", contents: nil))
            let halted = StateDoctor.inspect(directory: directory, clock: clock)
            #expect(halted.killSwitchEngaged)
            #expect(halted.summary.contains("kill switch"))
            #expect(StateSamples.files(in: directory, prefix: "trading_state") == ["trading_state.json"])
        }
    }

    /// A version 1 file is reported ok at schema 1, to be migrated at the next start.
    @Test func version1IsOk() throws {
        try withTemporaryDirectory { directory in
            let fixture = try #require(Bundle.module.url(forResource: "trading_state_v1", withExtension: "json", subdirectory: "Fixtures"))
            try FileManager.default.copyItem(atPath: fixture.path, toPath: StateSamples.statePath(directory))
            let inspection = StateDoctor.inspect(directory: directory, clock: ManualClock(now: StateSamples.start))
            guard case .ok(schemaVersion: 1, savedAt: nil, positions: 3, pendingIntents: 0, _) = inspection.status else {
                Issue.record("unexpected \(inspection.status)")
                return
            }
            #expect(inspection.summary.contains("migrates to \(StateFileFormat.currentSchemaVersion)"))
        }
    }
}
