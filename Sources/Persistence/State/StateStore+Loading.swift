import Logging
import Primitives
import TradingModel

extension StateStore {
    struct Loaded {
        var state: PersistentState
        var report: LoadReport
        /// The state on disk is not `state` (migrated or healed): write it once the store is up.
        var needsWrite: Bool
    }

    /// Reads the state file and decides what to start from. Only a newer schema or a file that cannot even
    /// be moved aside stops the start.
    static func load(path: String, clock: any WallClock, logger: Logger) throws(StateStoreError) -> Loaded {
        let removed = AtomicFile.removeStaleTemporaries(of: path)
        if !removed.isEmpty {
            logger.notice("removed temporary state files left by an interrupted write", metadata: ["files": "\(removed)"])
        }
        let now = clock.now
        let problem: String
        switch AtomicFile.read(path) {
        case .missing:
            logger.info("no state file; starting from an empty state", metadata: ["path": "\(path)"])
            return Loaded(
                state: .empty(at: now),
                report: LoadReport(outcome: .fresh, reconciliationRequired: false, removedTemporaryFiles: removed),
                needsWrite: false)
        case .unusable(let reason):
            problem = reason
        case .bytes(let bytes):
            switch StateFileFormat.decode(bytes, now: now) {
            case .valid(var state, let savedAt?, let version) where version == StateFileFormat.currentSchemaVersion:
                logger.info("state loaded", metadata: ["path": "\(path)", "saved_at": "\(savedAt.rfc3339)"])
                // A FAILED_STATE hold belongs to a write failure of a past process; the next write decides anew.
                let stale = state.trading.isHeld(.stateWrite)
                if stale { state.trading.release(.stateWrite, at: now) }
                return Loaded(
                    state: state,
                    report: LoadReport(
                        outcome: .loaded(savedAt: savedAt), reconciliationRequired: state.trading.isHeld(.reconciliation),
                        removedTemporaryFiles: removed),
                    needsWrite: stale)
            case .valid(let state, _, let version):
                let backup = try AtomicFile.copyAside(bytes, of: path, to: "\(path).v\(version).\(now.compactUTC)")
                logger.notice(
                    "state file migrated to the current schema; the original is kept",
                    metadata: ["path": "\(path)", "from_version": "\(version)", "backup": "\(backup)"])
                return Loaded(
                    state: state,
                    report: LoadReport(
                        // Version 1 is held until reconciled; a version 2 state was trusted and still is.
                        outcome: .migrated(fromVersion: version, backupPath: backup),
                        reconciliationRequired: state.trading.isHeld(.reconciliation),
                        removedTemporaryFiles: removed),
                    needsWrite: true)
            case .newerSchema(let version):
                let message =
                    "\(path) has schema version \(version), newer than the \(StateFileFormat.currentSchemaVersion) this build knows; "
                    + "refusing to start so it is not misread or overwritten (run a newer Bulwark, or move the file aside)"
                logger.critical("\(message)")
                throw StateStoreError(code: .newerSchema, message: message)
            case .corrupt(let reason):
                problem = reason
            }
        }
        return try heal(path: path, problem: problem, now: now, logger: logger, removed: removed)
    }

    private static func heal(
        path: String, problem: String, now: Timestamp, logger: Logger, removed: [String]
    ) throws(StateStoreError) -> Loaded {
        let backup = try AtomicFile.moveAside(path, to: "\(path).corrupt.\(now.compactUTC)")
        logger.error(
            "state file is corrupt; moved aside, starting empty, reconciliation with the broker required",
            metadata: ["path": "\(path)", "backup": "\(backup)", "problem": "\(problem)"])
        var state = PersistentState.empty(at: now)
        state.trading.hold(
            .reconciliation,
            reason: "\(HaltCode.reconciliation): state file was corrupt (moved to \(backup)); not yet reconciled with the broker",
            actor: .system, at: now)
        return Loaded(
            state: state,
            report: LoadReport(
                outcome: .healed(StateHealing(backupPath: backup, problem: problem)), reconciliationRequired: true,
                removedTemporaryFiles: removed),
            needsWrite: true)
    }
}
