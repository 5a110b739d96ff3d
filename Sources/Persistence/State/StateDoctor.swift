import Foundation
import Primitives

/// `bulwark doctor` for the state file: looks, never touches.
public enum StateDoctor {
    public struct Inspection: Sendable, Hashable {
        public enum Status: Sendable, Hashable {
            /// A valid file; version 1 is valid too and will be migrated at the next start.
            case ok(schemaVersion: Int, savedAt: Timestamp?, positions: Int, pendingIntents: Int, tradingState: TradingState)
            case missing
            /// The next start will move it aside and start empty; why.
            case corrupt(String)
            /// Written by a newer Bulwark; this build refuses to start with it.
            case newerSchema(found: Int, supported: Int)
        }

        public var path: String
        public var status: Status
        /// Whether `state/HALT` exists.
        public var killSwitchEngaged: Bool

        /// One line for the terminal.
        public var summary: String {
            var line: String
            switch status {
            case .ok(let version, let savedAt, let positions, let intents, let trading):
                line = "ok: \(path) schema \(version)"
                if version < StateFileFormat.currentSchemaVersion { line += " (migrates to \(StateFileFormat.currentSchemaVersion) at the next start)" }
                if let savedAt { line += ", saved \(savedAt.rfc3339)" }
                line += ", \(positions) position(s), \(intents) pending intent(s), trading \(trading.mode.rawValue)"
                if let reason = trading.reason { line += " (\(reason))" }
            case .missing:
                line = "missing: \(path) does not exist; the next start begins empty"
            case .corrupt(let why):
                line = "corrupt: \(path): \(why); the next start moves it aside and begins empty, halted until reconciled"
            case .newerSchema(let found, let supported):
                line = "newer schema: \(path) has schema version \(found), this build knows up to \(supported); it will refuse to start"
            }
            if killSwitchEngaged { line += "; kill switch \(KillSwitch.fileName) is present: trading is halted" }
            return line
        }

        /// Whether the next start can use the file as it is (ok or missing).
        public var isUsable: Bool {
            switch status {
            case .ok, .missing: true
            case .corrupt, .newerSchema: false
            }
        }
    }

    /// Inspects `directory/trading_state.json` without changing anything.
    /// `clock` only dates what a version 1 file does not record.
    public static func inspect(directory: String, clock: any WallClock = SystemClock()) -> Inspection {
        let now = clock.now
        let path = directory + "/" + StateFileFormat.fileName
        var info = stat()
        let killSwitch = lstat(directory + "/" + KillSwitch.fileName, &info) == 0
        let status: Inspection.Status
        switch AtomicFile.read(path) {
        case .missing:
            status = .missing
        case .unusable(let reason):
            status = .corrupt(reason)
        case .bytes(let bytes):
            switch StateFileFormat.decode(bytes, now: now) {
            case .valid(let state, let savedAt, let version):
                status = .ok(
                    schemaVersion: version, savedAt: savedAt, positions: state.positions.count,
                    pendingIntents: state.pendingIntents.count, tradingState: state.tradingState)
            case .corrupt(let reason):
                status = .corrupt(reason)
            case .newerSchema(let version):
                status = .newerSchema(found: version, supported: StateFileFormat.currentSchemaVersion)
            }
        }
        return Inspection(path: path, status: status, killSwitchEngaged: killSwitch)
    }
}
