import Persistence
import Primitives
import TradingModel

extension Supervisor {
    /// Follows `store`'s trading state: tells `registry` the state in force and the system hold behind
    /// it, and when a hold for a failed write ends, the given-up supportive services are tried again at
    /// once (`causeGone`).
    public func followHolds(of store: StateStore, registry: HealthRegistry) {
        let lastHold = LockedBox<FailureReason?>(nil)
        store.observeTradingState { [registry, store, self] trading in
            let hold = store.state.trading.systemHold?.code.failureReason
            registry.setTradingState(trading, systemHold: hold)
            let was = lastHold.withLock { last in
                defer { last = hold }
                return last
            }
            if let cause = Self.causeGone(heldBy: was, now: hold) { self.causeGone(cause) }
        }
    }

    /// When a system hold ends, whether the cause of a supportive service's failures is gone, in words:
    /// a hold for a failed state or journal write ends with a write that succeeded, so the folders the
    /// heartbeat keeper writes in take writes again (the end of a disk-full episode). Nil otherwise.
    public static func causeGone(heldBy before: FailureReason?, now after: FailureReason?) -> String? {
        guard let before, before != after else { return nil }
        switch before {
        case .state: return "the state file is written again (FAILED_STATE released)"
        case .journal: return "the order journal is written again (FAILED_JOURNAL released)"
        default: return nil
        }
    }
}
