import Logging
import Persistence
import Primitives
import TradingModel

/// The one place that changes the trading state on command: the operator's halt, resume and reduce-only
/// (from the console or a test), each validated, persisted through the state store and published on the
/// bus (the store publishes every change it writes).
///
/// A resume never simply flips the state back. It first re-runs what caused each system halt — the kill
/// switch file, the state write, the reconciliation, and any check registered later (credentials,
/// API contract) — and trading stays HALTED, with the reason that still holds, if one still fails.
public final class TradingController: Sendable {
    /// A re-check run on resume for one system halt: nil when the cause is gone, otherwise why not.
    public typealias Recheck = @Sendable () async -> String?

    public enum Outcome: Sendable, Equatable {
        /// The state changed to the one asked for.
        case changed(TradingState)
        /// It already was in that state.
        case unchanged(TradingState)
        /// Resume was asked, but these system halts still hold (code and why); trading stays HALTED.
        case stillHalted(TradingState, failing: [String])
        /// The store could not write the change; trading is held HALTED by the store until it can.
        case notSaved(StateStoreError)
        /// A halt arrived while the re-checks ran: the change asked for was not made.
        case superseded(TradingState)
    }

    /// The store whose trading state this controller changes.
    public let store: StateStore
    private let logger: Logger
    private let rechecks: [HaltCode: Recheck]

    /// `rechecks` are the re-runs for system halts; the kill switch and the state write have built-in
    /// ones (and the journal write, once linked to the store), and a reconciler (when given) re-runs the reconciliation.
    public init(store: StateStore, reconciler: Reconciler? = nil, logger: Logger, rechecks: [HaltCode: Recheck] = [:]) {
        self.store = store
        self.logger = logger
        let killSwitch = KillSwitch(store: store, logger: logger)
        var all: [HaltCode: Recheck] = [
            .killSwitch: { killSwitch.check() ? "\(KillSwitch.reason) is still present; remove it to resume" : nil },
            .stateWrite: { [store] in
                do throws(StateStoreError) {
                    try store.retryPendingWrite()
                    return nil
                } catch {
                    return error.message
                }
            },
            .journalWrite: { [store] in store.retryJournalWrite() },
        ]
        if let reconciler {
            all[.reconciliation] = {
                let report = await reconciler.reconcile()
                return report.outcome == .reconciled ? nil : (report.error ?? "reconciliation failed")
            }
        }
        self.rechecks = all.merging(rechecks) { _, registered in registered }
    }

    public var state: TradingState { store.tradingState }

    /// Halts trading now. Always allowed: it is the safe direction.
    public func halt(reason: String = "halted by the operator", actor: TradingState.Actor = .operator) -> Outcome {
        choose(.halted, reason: reason, actor: actor)
    }

    /// Only orders that shrink a position may be sent from now on. Like resume, it re-checks the system
    /// halts first (leaving HALTED for REDUCING loosens the state); from ACTIVE there are none to check.
    public func reduceOnly(
        reason: String = "reduce-only set by the operator", actor: TradingState.Actor = .operator, commit: CommandQueue.Commit? = nil
    ) async -> Outcome {
        await recheckThenChoose(.reducing, reason: reason, actor: actor, commit: commit)
    }

    /// Asks for ACTIVE: re-runs the check behind every system halt, releases those that pass, and
    /// resumes only if none still holds.
    ///
    /// `commit`, when given (the command queue's), makes the final choice only if no halt arrived while
    /// the re-checks ran; otherwise nothing is chosen and the outcome is `.superseded`.
    public func resume(actor: TradingState.Actor = .operator, commit: CommandQueue.Commit? = nil) async -> Outcome {
        await recheckThenChoose(.active, reason: nil, actor: actor, commit: commit)
    }

    /// Chooses `mode` without re-checks, unless a later halt superseded the command (flatten's REDUCING).
    public func choose(_ mode: TradingState.Mode, reason: String?, actor: TradingState.Actor = .operator, commit: CommandQueue.Commit?) -> Outcome {
        guard let commit else { return choose(mode, reason: reason, actor: actor) }
        return commit { choose(mode, reason: reason, actor: actor) } ?? .superseded(store.tradingState)
    }

    private func recheckThenChoose(_ mode: TradingState.Mode, reason: String?, actor: TradingState.Actor, commit: CommandQueue.Commit?) async -> Outcome {
        let initial = store.tradingState
        var failing: [String] = []
        for hold in store.state.trading.holds {
            // A halt that arrived meanwhile makes the rest pointless (the choice will not be made).
            if commit?.isSuperseded == true { return .superseded(store.tradingState) }
            guard let recheck = rechecks[hold.code] else {
                failing.append("\(hold.code): \(hold.reason) (no re-check is known for it)")
                continue
            }
            do {
                if let problem = await recheck() {
                    failing.append("\(hold.code): \(problem)")
                    try store.hold(hold.code, reason: "\(hold.code): \(problem)", actor: hold.actor)
                } else {
                    try store.release(hold.code)
                }
            } catch {
                return .notSaved(error)
            }
        }
        // The operator's choice is recorded either way; holds that still fail keep HALTED in force.
        let outcome = choose(mode, reason: reason, actor: actor, commit: commit)
        switch outcome {
        case .notSaved, .superseded: return outcome
        case .changed, .unchanged, .stillHalted: break
        }
        let final = store.tradingState
        guard failing.isEmpty else {
            logger.warning("\(mode.rawValue) refused: system halts still hold", metadata: ["failing": "\(failing.joined(separator: "; "))"])
            return .stillHalted(final, failing: failing)
        }
        return final == initial ? .unchanged(final) : .changed(final)
    }

    private func choose(_ mode: TradingState.Mode, reason: String?, actor: TradingState.Actor) -> Outcome {
        let before = store.tradingState
        if store.state.trading.chosen.mode == mode, before.mode == mode {
            return .unchanged(before)
        }
        do {
            try store.choose(mode, reason: reason, actor: actor)
        } catch {
            return .notSaved(error)
        }
        let after = store.tradingState
        logger.notice("trading state chosen", metadata: ["mode": "\(mode.rawValue)", "actor": "\(actor.rawValue)", "in_force": "\(after.mode.rawValue)"])
        return .changed(after)
    }
}
