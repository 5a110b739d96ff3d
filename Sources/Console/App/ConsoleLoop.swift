import Synchronization
import TradingCore

/// The console's runtime between the core and the terminal: applies bus events and keys to the model
/// (pure `ConsoleUpdate`), carries out the effects through hooks (a command to the core is handed off,
/// never awaited), and offers a new frame to the terminal at most 10 times a second — only when the
/// model or the size changed (the clock changes it once a second).
public final class ConsoleLoop: Sendable {
    /// What the loop asks of the outside world.
    public struct Hooks: Sendable {
        /// Hands a command to the core. Must not wait for it.
        public var send: @Sendable (ControlCommand) -> Void
        /// The operator confirmed quitting: begin the graceful shutdown.
        public var quit: @Sendable () -> Void
        /// The theme after the one named, already applied to the terminal; nil to keep the current one.
        public var nextTheme: @Sendable (String) -> String?
        /// Events the console's own subscription has lost so far.
        public var droppedEvents: @Sendable () -> UInt64

        public init(
            send: @escaping @Sendable (ControlCommand) -> Void, quit: @escaping @Sendable () -> Void,
            nextTheme: @escaping @Sendable (String) -> String?, droppedEvents: @escaping @Sendable () -> UInt64
        ) {
            self.send = send
            self.quit = quit
            self.nextTheme = nextTheme
            self.droppedEvents = droppedEvents
        }
    }

    private struct State {
        var model: ConsoleModel
        var version: UInt64 = 1
    }

    public static let frameInterval: Duration = .milliseconds(100)

    private enum Part { case events, keys, painting }

    private let screen: TerminalScreen
    private let events: EventSubscription
    private let clock: any WallClock
    private let hooks: Hooks
    private let state: Mutex<State>

    public init(screen: TerminalScreen, model: ConsoleModel, events: EventSubscription, clock: any WallClock, hooks: Hooks) {
        self.screen = screen
        self.events = events
        self.clock = clock
        self.hooks = hooks
        self.state = Mutex(State(model: model))
    }

    /// The model as it is now.
    public var model: ConsoleModel { state.withLock { $0.model } }

    /// Runs until cancelled (or the keys end, when the terminal is gone).
    public func run() async {
        await withTaskGroup(of: Part.self) { group in
            group.addTask { await self.applyEvents(); return .events }
            group.addTask { await self.applyKeys(); return .keys }
            group.addTask { await self.paint(); return .painting }
            // The bus finishing (the core is gone) leaves the screen drawing what is known; the keys ending
            // (the terminal is gone) or cancellation ends it all.
            while let part = await group.next(), part == .events {}
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

    private func applyEvents() async {
        for await event in events {
            change { $0 = ConsoleUpdate.update($0, event: event) }
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
                case .quit:
                    hooks.quit()
                case .nextTheme:
                    let current = model.themeName
                    if let next = hooks.nextTheme(current) { change { $0.themeName = next } }
                }
            }
        }
    }

    private func paint() async {
        var painted: UInt64 = 0
        var paintedSize: TerminalScreen.Size?
        var lastSecond: Int64 = -1
        var dropped: UInt64 = 0
        while !Task.isCancelled {
            let now = clock.now
            let second = now.epochComponents.seconds
            if second != lastSecond {
                lastSecond = second
                change { $0 = ConsoleUpdate.update($0, tick: now) }
            }
            let lost = hooks.droppedEvents()
            if lost != dropped {
                dropped = lost
                change { $0 = ConsoleUpdate.update($0, droppedEvents: lost) }
            }
            let size = screen.size
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
