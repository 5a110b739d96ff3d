import Primitives
import TradingModel
import Persistence
/// What the operator's commands do to one core generation: the command queue's subject in production
/// (and in the model test, with the same code).
///
/// Halt, resume and reduce-only go to the `TradingController`; flatten chooses REDUCING (so the strategy
/// does not buy again at once) and asks the engine to close every position; close asks it to close one
/// (`TradingCommands+Close`); chaos goes to `chaos`.
/// Every write that makes a command take effect goes through the queue's `commit`, so a later halt
/// cancels it.
public struct TradingCommands: CommandQueue.Subject {
    public struct Hooks: Sendable {
        /// Ask the engine to close every position on its next tick.
        public var flatten: @Sendable () -> Void
        /// Withdraw such a request, and any close not yet begun (a halt cancels them).
        public var cancelFlatten: @Sendable () -> Void
        /// Ask the engine to close one position on its next tick, as an exit whose rule is `operator`.
        public var close: @Sendable (Symbol) -> Void
        /// Switch a chaos mode.
        public var chaos: @Sendable (ChaosMode, Bool) -> CommandResult.Draft

        public init(
            flatten: @escaping @Sendable () -> Void, cancelFlatten: @escaping @Sendable () -> Void,
            chaos: @escaping @Sendable (ChaosMode, Bool) -> CommandResult.Draft,
            close: @escaping @Sendable (Symbol) -> Void
        ) {
            self.close = close
            self.flatten = flatten
            self.cancelFlatten = cancelFlatten
            self.chaos = chaos
        }
    }

    public let controller: TradingController
    let hooks: Hooks

    public init(controller: TradingController, hooks: Hooks) {
        self.controller = controller
        self.hooks = hooks
    }

    public func halt(reason: String, actor: CommandActor) -> CommandResult.Draft {
        hooks.cancelFlatten()
        return Self.answer(controller.halt(reason: Self.reason(reason, actor), actor: actor.tradingActor))
    }

    public func retire() {
        controller.store.retire()
    }

    public func carryOut(_ command: ControlCommand, actor: CommandActor, commit: CommandQueue.Commit) async -> CommandResult.Draft {
        switch command {
        case .halt:
            return halt(reason: "halted by the operator", actor: actor)
        case .resume:
            return Self.answer(await controller.resume(actor: actor.tradingActor, commit: commit))
        case .reduceOnly:
            return Self.answer(await controller.reduceOnly(
                reason: Self.reason("reduce-only set by the operator", actor), actor: actor.tradingActor, commit: commit))
        case .flattenAll:
            // Under a system hold the send gate refuses every order: the flatten is refused with the hold's
            // reason, as a close is, rather than accepted and then not carried out.
            if let hold = controller.store.state.trading.holds.first {
                return CommandResult.Draft(
                    accepted: false,
                    message: "nothing flattened: trading is held HALTED (\(hold.reason)); nothing can be sent until the hold is lifted",
                    code: "trading.system_hold")
            }
            let outcome = controller.choose(
                .reducing, reason: Self.reason("flatten: closing every position", actor), actor: actor.tradingActor, commit: commit)
            switch outcome {
            case .superseded, .notSaved: return Self.answer(outcome)
            case .changed, .unchanged, .stillHalted: break
            }
            guard commit({ hooks.flatten() }) != nil else { return CommandQueue.superseded }
            return CommandResult.Draft(
                accepted: true, message: "every position will be closed, as exits through the guard; trading REDUCING until resumed")
        case .closePosition(let symbol):
            return close(symbol, actor: actor, commit: commit)
        case .quit:
            return CommandResult.Draft(accepted: true, message: "shutting down: services stopped, state saved")
        case .chaos(let mode, let on):
            return hooks.chaos(mode, on)
        }
    }

    /// A reason with who asked for it, as the trading state records it.
    public static func reason(_ text: String, _ actor: CommandActor) -> String {
        actor.detail.isEmpty ? "\(text) (\(actor.kind.rawValue))" : "\(text) (\(actor.kind.rawValue), \(actor.detail))"
    }

    /// The controller's outcome in words for the operator.
    public static func answer(_ outcome: TradingController.Outcome) -> CommandResult.Draft {
        switch outcome {
        case .changed(let state):
            return CommandResult.Draft(accepted: true, message: "trading \(state.mode.rawValue)" + (state.reason.map { ": \($0)" } ?? ""))
        case .unchanged(let state):
            return CommandResult.Draft(accepted: true, message: "trading already \(state.mode.rawValue)")
        case .stillHalted(let state, let failing):
            return CommandResult.Draft(accepted: false, message: "still \(state.mode.rawValue): " + failing.joined(separator: "; "), code: "trading.system_hold")
        case .notSaved(let error) where error.code == .retired:
            // Its generation was torn down meanwhile: the queue answers with the commit's refusal.
            return CommandQueue.superseded
        case .notSaved(let error):
            return CommandResult.Draft.refused("not saved: ", error)
        case .superseded:
            return CommandQueue.superseded
        }
    }
}
