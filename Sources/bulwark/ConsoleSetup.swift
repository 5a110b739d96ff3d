import ArgumentParser
import Console
import Foundation
import ServiceLifecycle
import TradingCore

/// The console side of `bulwark run`: the theme chosen before anything starts (a bad theme file stops
/// the start with its problems), then the terminal, the loop between the bus and the screen, and the
/// terminal restored once the services have stopped.
struct ConsoleSetup: Sendable {
    let theme: Theme
    let warnings: [String]
    let themesDirectory: String
    let configuration: Configuration
    let readOnly: Bool

    static func prepare(theme name: String?, configuration: Configuration, readOnly: Bool) throws -> ConsoleSetup {
        do {
            let loaded = try Theme.named(name, in: configuration.paths.themesDirectory)
            return ConsoleSetup(
                theme: loaded.theme, warnings: loaded.warnings, themesDirectory: configuration.paths.themesDirectory,
                configuration: configuration, readOnly: readOnly)
        } catch {
            Terminal.printError("bulwark run: theme: \(error.message)")
            for diagnostic in error.diagnostics { Terminal.printError("  \(diagnostic.formatted(file: name ?? "theme"))") }
            throw ExitCode(64)
        }
    }

    /// Runs the console until the services stop (the operator quit, or a signal); returns why the
    /// console could not start, if it could not (the services are then stopped too).
    func run(runtime: Runtime, group: ServiceGroup, events: EventSubscription, clock: any WallClock, until running: Task<Void, any Error>) async -> String? {
        let screen = TerminalScreen()
        do {
            try screen.start(theme: theme)
        } catch {
            await group.triggerGracefulShutdown()
            return error.message
        }
        var model = ConsoleModel(broker: BrokerLabel(configuration.broker), readOnly: readOnly, themeName: theme.name)
        // What happened before the console subscribed is known from the registry and the switchboard.
        let now = clock.now
        for service in runtime.registry.services {
            model = ConsoleUpdate.update(model, event: Event(sequence: 0, timestamp: now, kind: .serviceStatus(service)))
        }
        model = ConsoleUpdate.update(model, event: Event(sequence: 0, timestamp: now, kind: .overallHealth(runtime.registry.overall)))
        for mode in runtime.chaos.activeModes {
            model = ConsoleUpdate.update(model, event: Event(sequence: 0, timestamp: now, kind: .chaosMode(mode, enabled: true)))
        }
        let themes = ThemeCycle(directory: themesDirectory, screen: screen)
        let host = runtime.host
        let readOnly = self.readOnly
        let hooks = ConsoleLoop.Hooks(
            send: { command in
                guard !readOnly || !command.changesTrading else { return }
                Task { await host.perform(command) }
            },
            quit: { Task { await group.triggerGracefulShutdown() } },
            nextTheme: { themes.next(after: $0) },
            droppedEvents: { events.droppedCount ?? 0 })
        let loop = ConsoleLoop(screen: screen, model: model, events: events, clock: clock, hooks: hooks)
        let drawing = Task { await loop.run() }
        _ = await running.result
        drawing.cancel()
        await drawing.value
        screen.stop()
        return nil
    }
}

/// `t`: the themes of the themes folder in name order (the built-in default when there are none).
struct ThemeCycle: Sendable {
    let directory: String
    let screen: TerminalScreen

    func next(after current: String) -> String? {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(6)) }.sorted()
        guard !files.isEmpty else { return nil }
        let index = files.firstIndex(of: current).map { ($0 + 1) % files.count } ?? 0
        guard let loaded = try? Theme.named(files[index], in: directory) else { return nil }
        screen.setTheme(loaded.theme)
        return loaded.theme.name
    }
}
