import Foundation
import Persistence
import Primitives
import ServiceLifecycle
import Synchronization
import TradingModel

/// Publishes the vital signs (`.vitals`) on the bus every `interval`: what the bus told it (account,
/// positions and prices, last quote and reconciliation, open orders) with what it reads when it
/// publishes — the heartbeat and the realised PnL from the generation in force, the API call window, the
/// last fresh flow alert.
///
/// It subscribes when it is made (make it before anything publishes) and publishes in `run()`.
public final class VitalSignsPublisher: Service, Sendable {
    /// What is read at each publication that no event carries.
    public struct Sources: Sendable {
        /// The trading loop's last tick and the state's realised PnL total, from the generation in force
        /// (nil while there is none).
        public var core: @Sendable () -> (heartbeat: Timestamp?, realizedTotal: Decimal)?
        /// The realised PnL of the fills at or after a moment (the journal's replay; read once a day).
        public var realizedSince: @Sendable (Timestamp) -> Decimal
        public var calls: APICallWindow
        public var marks: ActivityMarks

        public init(
            core: @escaping @Sendable () -> (heartbeat: Timestamp?, realizedTotal: Decimal)?, realizedSince: @escaping @Sendable (Timestamp) -> Decimal,
            calls: APICallWindow, marks: ActivityMarks
        ) {
            self.core = core
            self.realizedSince = realizedSince
            self.calls = calls
            self.marks = marks
        }
    }

    /// Realised today = `sinceMidnight` (from the journal, when the day began or at the first
    /// publication) plus how far the state's total moved since then.
    private struct Day {
        var start: Timestamp
        var sinceMidnight: Decimal
        var totalThen: Decimal
    }

    private struct State {
        var tally = VitalSignsTally()
        var day: Day?
        var lastTotal: Decimal = 0
    }

    private let lifecycle = RunState("the vital signs", .once)
    private let bus: EventBus
    private let subscription: EventSubscription
    private let clock: any WallClock
    private let sources: Sources
    private let exposureLimit: Decimal
    private let interval: Duration
    private let state = Mutex(State())

    public init(bus: EventBus, clock: any WallClock, sources: Sources, exposureLimit: Decimal, interval: Duration = .seconds(1)) {
        self.bus = bus
        self.subscription = bus.subscribe(name: "vital-signs", bufferSize: 4096)
        self.clock = clock
        self.sources = sources
        self.exposureLimit = exposureLimit
        self.interval = interval
    }

    /// Folds the bus and publishes every `interval` until cancelled or a graceful shutdown.
    public func run() async throws {
        try await lifecycle.running {
            await cancelWhenGracefulShutdown {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await event in self.subscription { self.fold(event) }
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            self.publish()
                            do {
                                try await self.clock.sleep(for: self.interval)
                            } catch {
                                return
                            }
                        }
                    }
                    await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    /// Folds one event (what `run()` does with each event of the bus).
    public func fold(_ event: Event) {
        if case .vitals = event.kind { return }
        state.withLock { $0.tally.fold(event) }
    }

    /// The vital signs now (what `run()` publishes).
    public func current() -> VitalSigns {
        let now = clock.now
        let core = sources.core()
        let apis = sources.calls.vitals(at: now)
        let midnight = Self.midnightUTC(of: now)
        // The journal is read only when the day changes (or first), outside the lock.
        let needsDay = state.withLock { $0.day?.start != midnight }
        let sinceMidnight = needsDay ? sources.realizedSince(midnight) : nil
        return state.withLock { state in
            let total = core?.realizedTotal ?? state.lastTotal
            state.lastTotal = total
            if let sinceMidnight, state.day?.start != midnight {
                state.day = Day(start: midnight, sinceMidnight: sinceMidnight, totalThen: total)
            }
            let today = state.day.map { $0.sinceMidnight + total - $0.totalThen } ?? 0
            let readings = VitalSignsTally.Readings(
                realizedToday: today, realizedTotal: total, heartbeat: core?.heartbeat, lastFlowAlert: sources.marks.last(.flowAlert), apis: apis)
            return state.tally.vitals(readings: readings, exposureLimit: exposureLimit)
        }
    }

    /// Publishes the vital signs now.
    public func publish() {
        bus.publish(.vitals(current()))
    }

    static func midnightUTC(of time: Timestamp) -> Timestamp {
        let seconds = time.epochComponents.seconds
        let day: Int64 = 86_400
        let floored = seconds >= 0 ? seconds / day * day : ((seconds + 1) / day - 1) * day
        return .seconds(floored)
    }
}
