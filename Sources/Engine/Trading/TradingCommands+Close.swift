import Foundation
import Persistence
import Primitives
import TradingModel

/// The operator's close of one position (`bulwark ctl close SYMBOL`): the engine sends a market exit
/// through the guard on its next tick, journaled and published with the rule `operator`.
///
/// It is gated as flatten is: a close only reduces risk, so it goes out while ACTIVE or REDUCING (the
/// mode is left as it is); from the operator's HALTED it chooses REDUCING, as flatten does, so the exit
/// may leave; a later halt cancels it if it has not yet begun. Under a system hold nothing can be sent
/// (the send gate refuses every order), so the close is refused with the hold's reason instead of being
/// accepted and then not carried out. No such position: refused, `command.no_position`.
extension TradingCommands {
    func close(_ symbol: Symbol, actor: CommandActor, commit: CommandQueue.Commit) -> CommandResult.Draft {
        let state = controller.store.state
        guard let position = state.positions[symbol], position.quantity != 0 else {
            let held = state.positions.keys.sorted().map(\.rawValue).joined(separator: ", ")
            return CommandResult.Draft(
                accepted: false, message: "no position in \(symbol) to close (held: \(held.isEmpty ? "none" : held))", code: "command.no_position")
        }
        if let hold = state.trading.holds.first {
            return CommandResult.Draft(
                accepted: false,
                message: "\(symbol) not closed: trading is held HALTED (\(hold.reason)); nothing can be sent until the hold is lifted",
                code: "trading.system_hold")
        }
        var reducing = false
        if state.trading.chosen.mode == .halted {
            let outcome = controller.choose(
                .reducing, reason: Self.reason("close \(symbol): REDUCING so the exit can be sent", actor), actor: actor.tradingActor, commit: commit)
            switch outcome {
            case .superseded, .notSaved, .stillHalted: return Self.answer(outcome)
            case .changed, .unchanged: reducing = true
            }
        }
        guard commit({ hooks.close(symbol) }) != nil else { return CommandQueue.superseded }
        return CommandResult.Draft(
            accepted: true,
            message: "\(position.quantity.magnitude) \(symbol) will be closed at market, as an exit through the guard (operator)"
                + (reducing ? "; trading REDUCING until resumed" : ""))
    }
}
