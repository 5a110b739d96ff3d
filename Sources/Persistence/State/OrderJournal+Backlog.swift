import Logging
import Primitives
import Synchronization

/// The journal is as durable as the state: a line that could not be written is kept, in order, and
/// written before any later one — by the next append, by `retryPendingIfDue()` on a backoff, or by
/// `retryPending()` at once (the operator's resume). The failure observer hears of the first failure (and
/// of a different one after it) and of the first write that succeeds again; the state store links it to
/// its `FAILED_JOURNAL` hold.
extension OrderJournal {
    /// Told `WriteError` when writing starts failing (or fails differently), nil when it succeeds again.
    public typealias FailureObserver = @Sendable (WriteError?) -> Void

    /// What `retryPendingIfDue()` did.
    public enum Retry: Sendable, Equatable {
        case nothingPending
        case notDue(until: Timestamp)
        case written(lines: Int)
        case failed(message: String)
    }

    /// The open file, and the lines not yet on disk.
    struct FileState {
        var descriptor: Int32
        var size: Int
        var backlog = Backlog()
    }

    /// Lines kept while writing fails, oldest first; the failure and when to try again.
    struct Backlog {
        /// More than this many kept lines: the oldest are dropped (counted, and logged) so memory stays bounded.
        static let limit = 10_000

        var entries: [OrderJournalEntry] = []
        var failure: WriteError?
        var backoff = RetryBackoff()
        /// Lines dropped over the limit since the last report.
        var dropped = 0

        mutating func keep(_ entry: OrderJournalEntry) {
            entries.append(entry)
            if entries.count > Self.limit {
                entries.removeFirst(entries.count - Self.limit)
                dropped += 1
            }
        }
    }

    /// What one pass over the backlog found, reported outside the lock.
    struct BacklogOutcome {
        /// The failure that stopped the pass, nil when every kept line was written.
        var failure: WriteError?
        /// The observer must hear of it: the first failure, a different one, or the first success after failures.
        var changed = false
        var written = 0
        var pending = 0
        var dropped = 0
        var retryAt: Timestamp?
    }

    /// The write failure in force while lines are kept, nil when the file has every line.
    public var writeFailure: WriteError? { file.withLock { $0.backlog.failure } }

    /// How many lines are kept, not yet on disk.
    public var pendingLines: Int { file.withLock { $0.backlog.entries.count } }

    /// When `retryPendingIfDue()` will next try, if lines are kept.
    public var nextRetryAt: Timestamp? {
        let now = clock.now
        return file.withLock { $0.backlog.entries.isEmpty ? nil : $0.backlog.backoff.nextAttempt(after: now) }
    }

    /// Sets the one observer of write failures (a later call replaces it: the state store of the core
    /// generation in force). It is called outside the journal's lock, before the failed append throws.
    public func setFailureObserver(_ observer: FailureObserver?) {
        failureObserver.withLock { $0 = observer }
    }

    /// Writes the kept lines now. Returns false when none were kept.
    @discardableResult
    public func retryPending() throws(WriteError) -> Bool {
        let now = clock.now
        let outcome = file.withLock { file -> BacklogOutcome? in
            file.backlog.entries.isEmpty ? nil : writeBacklog(&file, now: now)
        }
        guard let outcome else { return false }
        try report(outcome)
        return true
    }

    /// Writes the kept lines if the backoff says it is time. Called every tick (through the state store).
    @discardableResult
    public func retryPendingIfDue() -> Retry {
        let now = clock.now
        let pass = file.withLock { file -> (outcome: BacklogOutcome?, skipped: Retry?) in
            guard !file.backlog.entries.isEmpty else { return (nil, .nothingPending) }
            if case .wait(let until) = file.backlog.backoff.action(at: now) { return (nil, .notDue(until: until)) }
            return (writeBacklog(&file, now: now), nil)
        }
        guard let outcome = pass.outcome else { return pass.skipped ?? .nothingPending }
        do {
            try report(outcome)
            return .written(lines: outcome.written)
        } catch {
            return .failed(message: error.message)
        }
    }

    /// Writes the kept lines in order, stopping at the first failure. Runs under the lock.
    func writeBacklog(_ file: inout FileState, now: Timestamp) -> BacklogOutcome {
        var outcome = BacklogOutcome()
        outcome.dropped = file.backlog.dropped
        file.backlog.dropped = 0
        var written = 0
        defer { file.backlog.entries.removeFirst(written) }
        for entry in file.backlog.entries {
            do {
                try writeLine(entry, into: &file)
                written += 1
            } catch {
                outcome.changed = file.backlog.failure?.message != error.message
                file.backlog.failure = error
                outcome.failure = error
                outcome.retryAt = file.backlog.backoff.recordFailure(at: now)
                outcome.written = written
                outcome.pending = file.backlog.entries.count - written
                return outcome
            }
        }
        outcome.written = written
        if file.backlog.failure != nil {
            outcome.changed = true
            file.backlog.failure = nil
            file.backlog.backoff.recordSuccess()
        }
        return outcome
    }

    /// Logs and tells the observer what a pass found, then throws its failure; outside the lock.
    func report(_ outcome: BacklogOutcome) throws(WriteError) {
        if outcome.dropped > 0 {
            logger.error(
                "order journal: lines kept while writing failed were dropped to bound memory",
                metadata: ["path": "\(path)", "dropped": "\(outcome.dropped)", "limit": "\(Backlog.limit)"])
        }
        if let failure = outcome.failure {
            if outcome.changed {
                logger.error(
                    "order journal write failed; trading is halted until it succeeds",
                    metadata: [
                        "path": "\(path)", "error": "\(failure.message)", "kept_lines": "\(outcome.pending)",
                        "retry_at": "\(outcome.retryAt.map(\.rfc3339) ?? "-")",
                    ])
                failureObserver.withLock { $0 }?(failure)
            }
            throw failure
        }
        if outcome.changed {
            logger.notice(
                "order journal written again after failures; the FAILED_JOURNAL halt is released",
                metadata: ["path": "\(path)", "written_lines": "\(outcome.written)"])
            failureObserver.withLock { $0 }?(nil)
        }
    }
}
