@testable import Engine
import Foundation
import Persistence
import TradingModel

extension EngineFixture {
    /// Submits `commands` in turn through a command queue over this fixture's engine, wired as a core
    /// generation wires it (the real `TradingCommands`, every answer journaled); their answers, in order.
    func submit(_ commands: [ControlCommand], from actor: CommandActor = .test) async -> [CommandResult] {
        let journal = parts.journal
        let queue = CommandQueue(
            haltWithoutSubject: { _, _ in CommandResult.Draft(accepted: false, message: "no subject") },
            answered: { result in try? journal.append(.command(result)) })
        let engine = self.engine
        queue.install {
            TradingCommands(controller: engine.parts.controller, hooks: TradingCommands.Hooks(
                flatten: { engine.flattenAll() }, cancelFlatten: { engine.cancelFlatten() },
                chaos: { _, _ in CommandResult.Draft(accepted: false, message: "no chaos here") },
                close: { engine.close($0) }))
        }
        let running = Task { await queue.run() }
        var results: [CommandResult] = []
        for command in commands { results.append(await queue.submit(command, from: actor)) }
        running.cancel()
        _ = await running.value
        return results
    }
}
