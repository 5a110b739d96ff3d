import Foundation
import Logging
import Persistence
import Primitives

/// The last word before an order leaves the process, asked immediately before every submit (not once
/// per tick): the kill-switch file (one `lstat`; found there, it is held at once), the process stopping,
/// and the trading state in force — the operator's choice and every hold. HALTED sends nothing;
/// REDUCING sends only an order that shrinks a position.
public struct SendGate: Sendable {
    public enum Verdict: Sendable, Hashable {
        case send
        /// Not sent, with why ("not sent: trading HALTED…"). `endsBatch` when nothing else may be sent
        /// either, so the caller stops carrying out the rest of what it was doing.
        case refuse(reason: String, endsBatch: Bool)
    }

    private let store: StateStore
    private let killSwitch: KillSwitch
    /// Raised when the process stops: from then on nothing new is sent.
    public let stopping: StopLatch

    public init(store: StateStore, logger: Logger, stopping: StopLatch = StopLatch()) {
        self.store = store
        self.killSwitch = KillSwitch(store: store, logger: logger)
        self.stopping = stopping
    }

    /// Whether `intent` may be sent now.
    public func verdict(for intent: OrderIntent) -> Verdict {
        if killSwitch.isEngaged {
            // Held (durably) now, not at the engine's next tick.
            killSwitch.check()
            return .refuse(reason: "not sent: kill switch file state/\(KillSwitch.fileName) is present", endsBatch: true)
        }
        if stopping.isRaised {
            return .refuse(reason: "not sent: Bulwark is stopping", endsBatch: true)
        }
        let state = store.state
        let trading = state.tradingState
        switch trading.mode {
        case .active:
            return .send
        case .halted:
            return .refuse(reason: "not sent: trading HALTED" + (trading.reason.map { " (\($0))" } ?? ""), endsBatch: true)
        case .reducing:
            let held = state.positions[intent.symbol]?.quantity ?? 0
            let shrinks = held != 0 && (held > 0) == (intent.side == .sell) && intent.quantity <= held.magnitude
            guard shrinks else {
                return .refuse(reason: "not sent: trading REDUCING and this order does not shrink a position", endsBatch: false)
            }
            return .send
        }
    }
}
