import ArgumentParser
import Console
import Foundation
import Synchronization

/// `bulwark console-demo` (hidden): paints every theme role with the ncurses backend, shows the last
/// key, the size and the bytes written, and ticks once a second; for trying the backend in a real
/// terminal or tmux. `q` (or the time limit) ends it and prints the bytes written per second.
struct ConsoleDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console-demo",
        abstract: "Try the terminal backend: theme roles, keys, size, bytes written.",
        shouldDisplay: false)

    @Option(help: ArgumentHelp("Theme name (in --themes-dir) or path.", valueName: "name"))
    var theme: String?

    @Option(name: .customLong("themes-dir"), help: ArgumentHelp("Folder of themes.", valueName: "path"))
    var themesDirectory = "themes"

    @Option(help: ArgumentHelp("End after this many seconds.", valueName: "n"))
    var seconds = 600

    private struct Model: Sendable {
        var size = TerminalScreen.Size(rows: 0, columns: 0)
        var lastKey = "none"
        var keys = 0
        var ticks = 0
        var bytes: Int?
        var quit = false
    }

    private final class Shared: Sendable {
        let model: Mutex<Model>
        init(_ model: Model) { self.model = Mutex(model) }
    }

    func run() async throws {
        let loaded: Theme.Loaded
        do {
            loaded = try Theme.named(theme, in: themesDirectory)
        } catch {
            Terminal.printError("bulwark: \(error.message)")
            for diagnostic in error.diagnostics { Terminal.printError("  \(diagnostic)") }
            throw ExitCode(64)
        }
        let screen = TerminalScreen()
        do {
            try screen.start(theme: loaded.theme)
        } catch {
            Terminal.printError("bulwark: \(error.message)")
            throw ExitCode(64)
        }
        let started = ContinuousClock.now
        let shared = Shared(Model(size: screen.size))
        let themeName = loaded.theme.name
        let describe = { @Sendable () -> String in
            "\(themeName), \(screen.colorCapability), \(screen.supportsUnicode ? "UTF-8" : "ASCII")"
        }
        screen.present(Self.render(shared.model.withLock { $0 }, about: describe()))
        let limit = seconds
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await key in screen.keys {
                    let snapshot = shared.model.withLock { state in
                        state.keys += 1
                        state.lastKey = "\(key)"
                        if key == .resize { state.size = screen.size }
                        if key == .character("q") { state.quit = true }
                        state.bytes = screen.bytesWritten
                        return state
                    }
                    if snapshot.quit { break }
                    screen.present(Self.render(snapshot, about: describe()))
                }
            }
            group.addTask {
                for _ in 0..<limit {
                    try? await Task.sleep(for: .seconds(1))
                    let snapshot = shared.model.withLock { state in
                        state.ticks += 1
                        state.bytes = screen.bytesWritten
                        return state
                    }
                    if snapshot.quit { return }
                    screen.present(Self.render(snapshot, about: describe()))
                }
            }
            await group.next()
            group.cancelAll()
            screen.stop()
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        if let bytes = screen.bytesWritten {
            print(String(format: "console-demo: %d bytes in %.1f s (%.0f bytes/s)", bytes, seconds, Double(bytes) / max(seconds, 0.001)))
        } else {
            print("console-demo: bytes not counted (standard error is not the terminal)")
        }
    }

    private static func render(_ model: Model, about: String) -> Frame {
        var frame = Frame(width: model.size.columns, height: model.size.rows)
        frame.put(String(repeating: " ", count: model.size.columns), row: 0, column: 0, style: CellStyle(role: "header"))
        frame.put(" Bulwark console demo — \(about)", row: 0, column: 0, style: CellStyle(role: "header"))
        let facts = "size \(model.size.columns)x\(model.size.rows)  key \(model.lastKey) (\(model.keys))  tick \(model.ticks)  bytes \(model.bytes.map(String.init) ?? "n/a")"
        frame.put(facts, row: 1, column: 1, style: CellStyle(role: "text"))
        let columnWidth = 24
        for (index, role) in Theme.roles.enumerated() {
            let perColumn = max(model.size.rows - 4, 1)
            let row = 3 + index % perColumn
            let column = 1 + (index / perColumn) * columnWidth
            frame.put(" \(role) ", row: row, column: column, style: CellStyle(role: role))
        }
        frame.put("q quits", row: model.size.rows - 1, column: 1, style: CellStyle(role: "hint"))
        return frame
    }
}
