import Logging
import Primitives
import Synchronization
import TradingModel

/// The owner of `state/trading_state.json`: keeps the state in memory and writes it, atomically and
/// durably, on every change.
///
/// A write that fails is never ignored. The change stays in memory, the store holds trading HALTED with
/// a reason naming the failure (hold `FAILED_STATE`, actor system), logs it, publishes the new trading
/// state, and throws. The write is tried again on the next change, by `retryPendingWrite()`, or by
/// `retryPendingWriteIfDue()` on a backoff; the first write that succeeds releases that hold (and only it).
public final class StateStore: Sendable {
    /// How loading went.
    public enum LoadOutcome: Sendable, Hashable {
        /// No state file: an empty state.
        case fresh
        /// A valid current file.
        case loaded(savedAt: Timestamp)
        /// An older file, migrated and written in the current schema; the original was copied to `backupPath`.
        case migrated(fromVersion: Int, backupPath: String)
        /// The file was unusable and was moved aside; the state starts empty.
        case healed(StateHealing)
    }

    public struct LoadReport: Sendable, Hashable {
        public var outcome: LoadOutcome
        /// The state must be reconciled with the broker before trading (it is held HALTED until then).
        public var reconciliationRequired: Bool
        /// Temporary files a killed writer had left, now removed.
        public var removedTemporaryFiles: [String]
    }

    /// What `retryPendingWriteIfDue()` did.
    public enum WriteRetry: Sendable, Equatable {
        case nothingPending
        case notDue(until: Timestamp)
        case written
        case failed(StateStoreError)
    }

    struct Inner {
        var state: PersistentState
        var writeFailure: StateStoreError?
        var writeBackoff: RetryBackoff
        var lineCache = StateFileFormat.LineCache()
        /// Set by `retire()`: every later write is refused.
        var retired = false
        /// The state was loaded without its own record of trades (fresh, healed, migrated): the next
        /// reconciliation also reads the broker's order history for the cooldowns (`StateStore+BrokerHistory`).
        var brokerHistoryOwed = false
    }

    public let directory: String
    public let path: String
    public let loadReport: LoadReport
    let clock: any WallClock
    let bus: EventBus?
    let logger: Logger
    let inner: Mutex<Inner>
    let observers = Mutex<[@Sendable (TradingState) -> Void]>([])
    let history: HistorySource?
    /// The order journal whose failures hold trading (`holdWhileJournalFails`).
    let linkedJournal = Mutex<OrderJournal?>(nil)

    /// Opens (creating 0700 if needed) `directory` and loads `trading_state.json` from it: missing → empty;
    /// valid → loaded; version 1 → migrated; unusable → moved aside and healed. Throws when the file has
    /// a newer schema (left untouched) or the folder cannot be used at all. `history`, when given, is the
    /// order journal's record that a state without its own (fresh, healed, migrated) is rebuilt from.
    public init(
        directory: String, clock: any WallClock = SystemClock(), bus: EventBus? = nil, logger: Logger,
        writeBackoff: RetryBackoff = RetryBackoff(), history: HistorySource? = nil
    ) throws(StateStoreError) {
        do {
            try PrivateDirectory.prepare(directory)
        } catch {
            throw StateStoreError(code: .unreadable, message: "state folder \(error.description)")
        }
        let path = directory + "/" + StateFileFormat.fileName
        var loaded = try Self.load(path: path, clock: clock, logger: logger)
        Self.rebuild(&loaded, from: history, now: clock.now, logger: logger)
        self.history = history
        self.directory = directory
        self.path = path
        self.clock = clock
        self.bus = bus
        self.logger = logger
        self.loadReport = loaded.report
        self.inner = Mutex(Inner(state: loaded.state, writeFailure: nil, writeBackoff: writeBackoff, brokerHistoryOwed: loaded.report.lostItsRecord))
        if case .healed(let healing) = loaded.report.outcome {
            bus?.publish(.stateHealed(healing))
        }
        bus?.publish(.tradingState(loaded.state.tradingState))
        if loaded.needsWrite {
            // A failure here is handled like any other: held HALTED, logged, retried.
            _ = try? save()
        }
    }

    /// Calls `observer` with the trading state now, and after every change of it, once the change is
    /// written (or held HALTED because it could not be). The health registry's link to trading.
    public func observeTradingState(_ observer: @escaping @Sendable (TradingState) -> Void) {
        observers.withLock { $0.append(observer) }
        observer(tradingState)
    }

    /// Chaos `state_corrupt`: writes `garbage` over the state file and loads it again, under the store's
    /// lock so no save slips in between — taking the self-healing path (moved aside, start empty,
    /// reconciliation required). Returns how the load went.
    public func overwriteAndReload(with garbage: [UInt8]) throws(StateStoreError) -> LoadReport {
        let now = clock.now
        let (report, effects) = try inner.withLock { (inner) throws(StateStoreError) -> (LoadReport, Effects) in
            let before = inner.state.tradingState
            try AtomicFile.write(garbage, to: path)
            var loaded = try Self.load(path: path, clock: clock, logger: logger)
            Self.rebuild(&loaded, from: history, now: now, logger: logger)
            inner.state = loaded.state
            if loaded.report.lostItsRecord { inner.brokerHistoryOwed = true }
            var effects = loaded.needsWrite ? commit(loaded.state, into: &inner, now: now) : Effects()
            if effects.tradingState == nil, inner.state.tradingState != before { effects.tradingState = inner.state.tradingState }
            return (loaded.report, effects)
        }
        if case .healed(let healing) = report.outcome { bus?.publish(.stateHealed(healing)) }
        try perform(effects)
        return report
    }

    /// A copy of the state as it is in memory (ahead of the file while a write is failing).
    public var state: PersistentState { inner.withLock { $0.state } }

    /// The trading state in force.
    public var tradingState: TradingState { inner.withLock { $0.state.tradingState } }

    /// The last write failure, while the file is behind the memory; `nil` when they agree.
    public var writeFailure: StateStoreError? { inner.withLock { $0.writeFailure } }

    /// When `retryPendingWriteIfDue()` will next try, if a write is pending.
    public var nextWriteRetryAt: Timestamp? {
        let now = clock.now
        return inner.withLock { $0.writeFailure == nil ? nil : $0.writeBackoff.nextAttempt(after: now) }
    }

    /// Applies `change` and writes the state. A change that would make the state invalid is not applied
    /// (`invalidState`). If writing fails, the change is still kept in memory, trading is held HALTED and
    /// the error is thrown: the caller must not act as if the change were on disk (e.g. not send an order
    /// whose intent it recorded). `change` runs under the store's lock: it must not call the store.
    @discardableResult
    public func update<T: Sendable>(_ change: (inout PersistentState) -> T) throws(StateStoreError) -> T {
        let now = clock.now
        let (value, effects): (T, Effects) = try inner.withLock { (inner) throws(StateStoreError) -> (T, Effects) in
            var candidate = inner.state
            let value = change(&candidate)
            if let violation = candidate.violation() {
                throw StateStoreError(code: .invalidState, message: "change to \(path) refused: \(violation)")
            }
            return (value, commit(candidate, into: &inner, now: now))
        }
        try perform(effects)
        return value
    }

    /// Writes the state as it is.
    public func save() throws(StateStoreError) {
        try update { _ in () }
    }

    /// Writes the state now if an earlier write failed. Returns false when nothing was pending.
    @discardableResult
    public func retryPendingWrite() throws(StateStoreError) -> Bool {
        guard writeFailure != nil else { return false }
        try save()
        return true
    }

    /// Writes the state if an earlier write failed and the backoff says it is time. Call it every tick.
    /// The linked order journal's kept lines are retried too, on their own backoff.
    @discardableResult
    public func retryPendingWriteIfDue() -> WriteRetry {
        retryJournalIfDue()
        let now = clock.now
        let action = inner.withLock { $0.writeFailure == nil ? .idle : $0.writeBackoff.action(at: now) }
        switch action {
        case .idle:
            return .nothingPending
        case .wait(let until):
            return .notDue(until: until)
        case .attempt:
            do {
                try save()
                return .written
            } catch {
                return .failed(error)
            }
        }
    }
}
