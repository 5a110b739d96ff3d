import ArgumentParser
import Console
import Foundation
import Persistence
import Primitives
import TradingModel

/// The console of `bulwark run` and `bulwark attach`: the theme chosen before anything starts (a bad
/// theme file stops the start with its problems), then the terminal and the loop, fed by a `ConsoleLink`
/// to the instance, until the operator leaves or the wiring ends it; then the terminal is restored.
struct ConsoleSetup: Sendable {
    let theme: Theme
    let warnings: [String]
    let themesDirectory: String
    let stateDirectory: String
    let readOnly: Bool
    /// `bulwark attach`: `q` just ends this client.
    let attached: Bool

    static func prepare(
        theme name: String?, themesDirectory: String, stateDirectory: String, readOnly: Bool, attached: Bool, command: String
    ) throws -> ConsoleSetup {
        do {
            let loaded = try Theme.named(name, in: themesDirectory)
            return ConsoleSetup(
                theme: loaded.theme, warnings: loaded.warnings, themesDirectory: themesDirectory, stateDirectory: stateDirectory,
                readOnly: readOnly, attached: attached)
        } catch {
            Terminal.printError("bulwark \(command): theme: \(error.message)")
            for diagnostic in error.diagnostics { Terminal.printError("  \(diagnostic.formatted(file: name ?? "theme"))") }
            throw ExitCode(64)
        }
    }
}

/// One run of the console on the terminal. `end` (from any thread) closes it; so do the operator's
/// detach and the terminal going away.
final class ConsoleSession: Sendable {
    enum Ending: Sendable, Equatable {
        /// The operator detached, or the terminal hung up: the instance keeps running.
        case detached
        /// The instance is stopping (the operator chose Stop, or a signal).
        case stopped
        /// The keys ended: the terminal is gone.
        case terminalGone
    }

    private let setup: ConsoleSetup
    private let endings: AsyncStream<Ending>
    private let endingInput: AsyncStream<Ending>.Continuation

    init(setup: ConsoleSetup) {
        self.setup = setup
        (endings, endingInput) = AsyncStream.makeStream(of: Ending.self, bufferingPolicy: .bufferingOldest(1))
    }

    /// Ends the console (the first call counts).
    func end(_ ending: Ending) {
        endingInput.yield(ending)
    }

    /// Runs the console until it ends; returns how, or why it could not start.
    func run(broker: BrokerLabel, clock: any WallClock, connect: @escaping ConsoleLink.Connect, stop: @escaping @Sendable () -> Void) async -> Result<Ending, TerminalError> {
        let screen = TerminalScreen()
        do {
            try screen.start(theme: setup.theme)
        } catch {
            return .failure(error)
        }
        let model = ConsoleModel(
            broker: broker, readOnly: setup.readOnly, themeName: setup.theme.name, isAttached: setup.attached, connection: .connecting)
        let link = ConsoleLink(clock: clock, connect: connect)
        let themes = ThemeCycle(directory: setup.themesDirectory, screen: screen)
        let stateDirectory = setup.stateDirectory
        let readOnly = setup.readOnly
        let hooks = ConsoleLoop.Hooks(
            send: { command in
                guard !readOnly || !command.changesTrading else { return }
                link.send(command)
            },
            stop: stop,
            detach: { [self] in end(.detached) },
            createHaltFile: {
                guard !readOnly else { return .failed("this console is read-only") }
                do throws(StateStoreError) {
                    return .created(path: try KillSwitch.engage(inDirectory: stateDirectory))
                } catch {
                    return .failed(error.message)
                }
            },
            nextTheme: { themes.next(after: $0) })
        let loop = ConsoleLoop(screen: screen, model: model, inputs: link.inputs, clock: clock, hooks: hooks)
        let ending = await withTaskGroup(of: Ending?.self) { group in
            group.addTask {
                await link.run()
                return nil
            }
            group.addTask {
                await loop.run()
                return .terminalGone
            }
            group.addTask { [endings] in
                for await ending in endings { return ending }
                return nil
            }
            var ending = Ending.terminalGone
            while let next = await group.next() {
                if let next {
                    ending = next
                    break
                }
            }
            group.cancelAll()
            return ending
        }
        endingInput.finish()
        screen.stop()
        return .success(ending)
    }
}

/// `t`: the themes of the themes folder and the two built-in ones (default, mono), in name order.
struct ThemeCycle: Sendable {
    let directory: String
    let screen: TerminalScreen

    func next(after current: String) -> String? {
        let found = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(6)) }
        let files = Set(found + [Theme.builtInDefault.name, Theme.builtInMono.name]).sorted()
        guard !files.isEmpty else { return nil }
        let index = files.firstIndex(of: current).map { ($0 + 1) % files.count } ?? 0
        guard let loaded = try? Theme.named(files[index], in: directory) else { return nil }
        screen.setTheme(loaded.theme)
        return loaded.theme.name
    }
}
