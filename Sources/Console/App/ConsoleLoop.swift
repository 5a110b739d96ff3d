import Primitives
import Synchronization
import TradingModel

/// The console's runtime between its Bulwark instance and the terminal: applies the inputs (snapshots,
/// events, connection changes — one stream, the same for the in-process and an attached console) and
/// keys to the model (pure `ConsoleUpdate`), carries out the effects through hooks (a command is handed
/// off, never awaited), and offers a new frame to the terminal at most 10 times a second — only when the
/// model or the size changed (the clock changes it once a second).
public final class ConsoleLoop: Sendable {
    /// What the loop asks of the outside world.
    public struct Hooks: Sendable {
        /// Hands a command to the instance (the control client's send). Must not wait for it: its result
        /// comes back as a `.commandResult` event.
        public var send: @Sendable (ControlCommand) -> Void
        /// The operator chose to stop Bulwark: begin the graceful shutdown.
        public var stop: @Sendable () -> Void
        /// The operator chose to leave the console: release the terminal, keep Bulwark running.
        public var detach: @Sendable () -> Void
        /// Creates `state/HALT` (not connected, `h`); returns what came of it.
        public var createHaltFile: @Sendable () -> HaltFileOutcome
        /// The theme after the one named, already applied to the terminal; nil to keep the current one.
        public var nextTheme: @Sendable (String) -> String?

        public init(
            send: @escaping @Sendable (ControlCommand) -> Void, stop: @escaping @Sendable () -> Void,
            detach: @escaping @Sendable () -> Void, createHaltFile: @escaping @Sendable () -> HaltFileOutcome,
            nextTheme: @escaping @Sendable (String) -> String?
        ) {
            self.send = send
            self.stop = stop
            self.detach = detach
            self.createHaltFile = createHaltFile
            self.nextTheme = nextTheme
        }
    }

    private struct State {
        var model: ConsoleModel
        var version: UInt64 = 1
    }

    public static let frameInterval: Duration = .milliseconds(100)

    private enum Part { case inputs, keys, painting }

    private let screen: TerminalScreen
    private let inputs: AsyncStream<ConsoleInput>
    private let clock: any WallClock
    private let hooks: Hooks
    private let state: Mutex<State>

    public init(screen: TerminalScreen, model: ConsoleModel, inputs: AsyncStream<ConsoleInput>, clock: any WallClock, hooks: Hooks) {
        self.screen = screen
        self.inputs = inputs
        self.clock = clock
        self.hooks = hooks
        self.state = Mutex(State(model: model))
    }

    /// The model as it is now.
    public var model: ConsoleModel { state.withLock { $0.model } }

    /// Runs until cancelled (or the keys end, when the terminal is gone).
    public func run() async {
        await withTaskGroup(of: Part.self) { group in
            group.addTask { await self.applyInputs(); return .inputs }
            group.addTask { await self.applyKeys(); return .keys }
            group.addTask { await self.paint(); return .painting }
            // The inputs finishing leaves the screen drawing what is known; the keys ending (the terminal
            // is gone) or cancellation ends it all.
            while let part = await group.next(), part == .inputs {}
            group.cancelAll()
        }
    }

    /// Applies `edit` and marks the model as needing a paint. No equality check of whole models: nearly
    /// every event or key changes what is drawn, and the backend paints only the cells that differ.
    private func change(_ edit: (inout ConsoleModel) -> Void) {
        state.withLock { state in
            edit(&state.model)
            state.version &+= 1
        }
    }

    private func applyInputs() async {
        var testLines = Self.testLineCount
        for await input in inputs {
            // In place: the history (10,000 lines) is not copied for each event.
            change { ConsoleUpdate.fold(input, into: &$0) }
            if let count = testLines, case .snapshot = input {
                testLines = nil
                change { ConsoleUpdate.addTestLines(count, to: &$0) }
            }
        }
    }

    private func applyKeys() async {
        for await key in screen.keys {
            var effects: [ConsoleEffect] = []
            change { model in (model, effects) = ConsoleUpdate.update(model, key: key) }
            for effect in effects {
                switch effect {
                case .send(let command):
                    hooks.send(command)
                case .stop:
                    hooks.stop()
                case .detach:
                    hooks.detach()
                case .createHaltFile:
                    let outcome = hooks.createHaltFile()
                    change { $0 = ConsoleUpdate.update($0, haltFile: outcome) }
                case .nextTheme:
                    let current = model.themeName
                    let next = hooks.nextTheme(current)
                    change { $0 = ConsoleUpdate.update($0, theme: next) }
                }
            }
        }
    }

    private func paint() async {
        var painted: UInt64 = 0
        var paintedSize: TerminalScreen.Size?
        var lastSecond: Int64 = -1
        while !Task.isCancelled {
            let now = clock.now
            let second = now.epochComponents.seconds
            if second != lastSecond {
                lastSecond = second
                change { $0 = ConsoleUpdate.update($0, tick: now) }
            }
            let size = screen.size
            if size != paintedSize { change { $0 = ConsoleUpdate.update($0, screenRows: size.rows) } }
            let (model, version) = state.withLock { ($0.model, $0.version) }
            if version != painted || size != paintedSize {
                let glyphs: Glyphs = screen.supportsUnicode ? .unicode : .ascii
                screen.present(ConsoleView.view(model, size: (width: size.columns, height: size.rows), glyphs: glyphs))
                painted = version
                paintedSize = size
            }
            try? await clock.sleep(for: Self.frameInterval)
        }
    }
}
