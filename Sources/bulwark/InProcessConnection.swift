import Console
import Synchronization
import TradingCore

/// The in-process console's connection before the control socket carries it: a snapshot of what the
/// registry and the switchboard know, then the bus subscription (made before anything ran). Connects
/// once: the subscription cannot be read twice.
final class InProcessConnection: Sendable {
    let runtime: Runtime
    let events: EventSubscription
    let clock: any WallClock
    private let used = Mutex(false)

    init(runtime: Runtime, events: EventSubscription, clock: any WallClock) {
        self.runtime = runtime
        self.events = events
        self.clock = clock
    }

    func connect() -> ConsoleConnection.Attempt {
        let first = used.withLock { used in
            defer { used = true }
            return !used
        }
        guard first else { return .failed("the core's event stream ended") }
        let snapshot = ControlSnapshot(
            takenAt: clock.now, broker: runtime.configuration.broker.label, chaosLocked: runtime.configuration.broker.isLive,
            overall: runtime.registry.overall, services: runtime.registry.services, chaosOn: Array(runtime.chaos.activeModes))
        let (inputs, input) = AsyncStream.makeStream(of: ConsoleInput.self)
        input.yield(.snapshot(snapshot))
        let events = self.events
        let forwarding = Task {
            for await event in events { input.yield(.event(event)) }
            input.finish()
        }
        let host = runtime.host
        return .connected(
            ConsoleConnection(
                inputs: inputs, send: { await host.submit($0, from: .console) },
                close: { forwarding.cancel() }))
    }
}
