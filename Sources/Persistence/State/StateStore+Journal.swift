import Logging
import Primitives
import Synchronization
import TradingModel

/// The order journal is as durable as the state: while it cannot write, trading is held HALTED with
/// `FAILED_JOURNAL` (actor system), exactly as a failed state write holds `FAILED_STATE`; its kept lines
/// are retried with the state's pending write, every tick, on their own backoff; and the first journal
/// write that succeeds releases that hold, and only it.
extension StateStore {
    /// Links `journal` to this store: its failures hold trading, its recovery releases the hold, and
    /// `retryPendingWriteIfDue()` retries its kept lines. A later generation's store takes the link over.
    /// A `FAILED_JOURNAL` hold from an earlier process is released here if the journal writes now.
    public func holdWhileJournalFails(_ journal: OrderJournal) {
        linkedJournal.withLock { $0 = journal }
        journal.setFailureObserver { [weak self] failure in self?.journalWriteChanged(failure) }
        journalWriteChanged(journal.writeFailure)
    }

    /// Writes the linked journal's kept lines now (the operator's resume re-checks the hold with it):
    /// nil when none were kept or they are written, otherwise why not.
    public func retryJournalWrite() -> String? {
        guard let journal = linkedJournal.withLock({ $0 }) else { return nil }
        do {
            try journal.retryPending()
            return nil
        } catch {
            return error.description
        }
    }

    /// The linked journal's kept lines, if its backoff says it is time.
    func retryJournalIfDue() {
        _ = linkedJournal.withLock { $0 }?.retryPendingIfDue()
    }

    private func journalWriteChanged(_ failure: OrderJournal.WriteError?) {
        do {
            if let failure {
                try hold(.journalWrite, reason: "\(HaltCode.journalWrite): \(failure.description)")
            } else {
                try release(.journalWrite)
            }
        } catch {
            // The store keeps the change in memory (HALTED while it cannot write either), logs and retries it.
            logger.warning(
                "the order journal's hold is changed in memory only",
                metadata: ["journal_failing": "\(failure != nil)", "error": "\(error.message)"])
        }
    }
}
