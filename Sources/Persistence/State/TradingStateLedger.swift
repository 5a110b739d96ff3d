import Primitives
import TradingModel
/// Whether Bulwark may trade, in two layers: the state the operator chose (ACTIVE, HALTED or REDUCING),
/// and the holds the system places on top of it. The strictest of them is in force: a halting hold (the
/// newest one) over anything; then the operator's HALTED; then a reducing hold; then the operator's choice.
/// When the last hold is released, the operator's choice is in force again.
public struct TradingStateLedger: Hashable, Sendable {
    /// A halt held by the system (or the kill switch) for one reason.
    public typealias Hold = TradingHold

    /// What the operator chose (or the initial ACTIVE state), in force when no hold is.
    public private(set) var chosen: TradingState
    /// Halts in force, oldest first.
    public private(set) var holds: [Hold]

    public init(chosen: TradingState, holds: [Hold] = []) {
        self.chosen = chosen
        self.holds = holds
    }

    /// A fresh ledger: ACTIVE, set by the system at `time`.
    public static func active(since time: Timestamp) -> TradingStateLedger {
        TradingStateLedger(chosen: TradingState(mode: .active, reason: nil, actor: .system, since: time))
    }

    /// The state in force: the strictest of the holds and the operator's choice (the newest hold among
    /// equally strict holds; a hold before the operator's choice when equally strict).
    public var effective: TradingState {
        if let halting = holds.last(where: { $0.code.mode == .halted }) { return halting.state }
        if chosen.mode == .halted { return chosen }
        if let reducing = holds.last(where: { $0.code.mode == .reducing }) { return reducing.state }
        return chosen
    }

    public func isHeld(_ code: HaltCode) -> Bool { holds.contains { $0.code == code } }

    /// Places (or re-words) the hold `code`. A re-worded hold keeps its place and its `since`.
    /// Returns whether the effective state changed.
    @discardableResult
    public mutating func hold(
        _ code: HaltCode, reason: String, actor: TradingState.Actor = .system, at time: Timestamp
    ) -> Bool {
        let before = effective
        if let index = holds.firstIndex(where: { $0.code == code }) {
            holds[index].reason = reason
            holds[index].actor = actor
        } else {
            holds.append(Hold(code: code, reason: reason, actor: actor, since: time))
        }
        return effective != before
    }

    /// Releases the hold `code`, if held; nothing else. Returns whether the effective state changed.
    @discardableResult
    public mutating func release(_ code: HaltCode, at time: Timestamp) -> Bool {
        guard let index = holds.firstIndex(where: { $0.code == code }) else { return false }
        let before = effective
        holds.remove(at: index)
        if holds.isEmpty {
            // The operator's choice is in force again from now on.
            chosen.since = time
        }
        return effective != before
    }

    /// The operator (or the engine on their behalf) chooses a mode. Holds stay in place: the operator
    /// cannot resume over a kill switch, a failed write or a failed reconciliation.
    /// Returns whether the effective state changed.
    @discardableResult
    public mutating func choose(_ mode: TradingState.Mode, reason: String?, actor: TradingState.Actor = .operator, at time: Timestamp) -> Bool {
        let before = effective
        chosen = TradingState(mode: mode, reason: reason, actor: actor, since: time)
        return effective != before
    }
}
