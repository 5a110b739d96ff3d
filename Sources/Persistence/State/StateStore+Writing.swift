import Logging
import Primitives
import Synchronization
import TradingModel

extension StateStore {
    /// What a commit leaves to do once the lock is released.
    struct Effects {
        var tradingState: TradingState?
        var failure: StateStoreError?
        var retryAt: Timestamp?
        var recovered = false
    }

    /// Writes `candidate` (with any `FAILED_STATE` hold released) and makes it the state. If the write
    /// fails, `candidate` is kept in memory with a `FAILED_STATE` hold naming the failure. Runs under the
    /// lock, so writes are never reordered.
    func commit(_ candidate: PersistentState, into inner: inout Inner, now: Timestamp) -> Effects {
        guard !inner.retired else {
            // A torn-down generation's late write (a resume still re-checking, a tick still ending) must not
            // overwrite what the generation in force has written since, such as a halt.
            var effects = Effects()
            effects.failure = Self.retiredError
            return effects
        }
        let before = inner.state.tradingState
        var written = candidate
        written.trading.release(.stateWrite, at: now)
        var effects = Effects()
        do {
            try AtomicFile.write(StateFileFormat.encode(written, savedAt: now, cache: &inner.lineCache), to: path)
            inner.state = written
            effects.recovered = inner.writeFailure != nil
            inner.writeFailure = nil
            inner.writeBackoff.recordSuccess()
        } catch {
            var kept = candidate
            kept.trading.hold(.stateWrite, reason: "\(HaltCode.stateWrite): \(error.message)", actor: .system, at: now)
            inner.state = kept
            inner.writeFailure = error
            effects.retryAt = inner.writeBackoff.recordFailure(at: now)
            effects.failure = error
        }
        if inner.state.tradingState != before { effects.tradingState = inner.state.tradingState }
        return effects
    }

    static let retiredError = StateStoreError(
        code: .retired, message: "not written: this state belongs to a core generation that was torn down (the next one has loaded the file)")

    /// Refuses every write from now on, without touching the file or the state in memory. The command
    /// queue calls it, under its lock, when the generation that owns this store stops being in force, so
    /// nothing it still has in flight can overwrite the next generation's writes, such as a halt.
    public func retire() {
        inner.withLock { $0.retired = true }
    }

    /// Logs, publishes and throws what a commit found; outside the lock.
    func perform(_ effects: Effects) throws(StateStoreError) {
        if let failure = effects.failure, failure.code == .retired {
            logger.notice("late write of a torn-down core generation not carried out", metadata: ["path": "\(path)"])
        } else if let failure = effects.failure {
            logger.error(
                "state file write failed; trading is halted until it succeeds",
                metadata: [
                    "path": "\(path)", "error": "\(failure.message)",
                    "retry_at": "\(effects.retryAt.map(\.rfc3339) ?? "-")",
                ])
        } else if effects.recovered {
            logger.notice("state file written again after failures; the FAILED_STATE halt is released", metadata: ["path": "\(path)"])
        }
        if let state = effects.tradingState {
            logger.log(
                level: state.mode == .active ? .notice : .warning, "trading state changed",
                metadata: [
                    "mode": "\(state.mode.rawValue)", "reason": "\(state.reason ?? "-")",
                    "actor": "\(state.actor.rawValue)",
                ])
            bus?.publish(.tradingState(state))
            for observer in observers.withLock({ $0 }) { observer(state) }
        }
        if let failure = effects.failure { throw failure }
    }

    /// Holds trading HALTED for `code` (or re-words that hold) and writes the state.
    public func hold(_ code: HaltCode, reason: String, actor: TradingState.Actor = .system) throws(StateStoreError) {
        let now = clock.now
        try update { $0.trading.hold(code, reason: reason, actor: actor, at: now) }
    }

    /// Releases the hold `code` only, and writes the state if it changed.
    public func release(_ code: HaltCode) throws(StateStoreError) {
        guard state.trading.isHeld(code) else { return }
        let now = clock.now
        try update { $0.trading.release(code, at: now) }
    }

    /// The operator's choice of mode (halt, resume, reduce-only). Holds stay in place.
    public func choose(_ mode: TradingState.Mode, reason: String?, actor: TradingState.Actor = .operator) throws(StateStoreError) {
        let now = clock.now
        try update { $0.trading.choose(mode, reason: reason, actor: actor, at: now) }
    }
}
