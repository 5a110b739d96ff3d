import Engine
import Logging
import Persistence
import Primitives
import ServiceLifecycle
import TradingModel

/// `heartbeat-keeper` (supportive): writes `state/heartbeat` — the time, one RFC 3339 line — every
/// `writeInterval` for outside watchdogs, and watches the trading loop: when it has not ticked within 3 of
/// its intervals, `trading-bot` is marked DEGRADED (as the watchdog's condition, cleared when it ticks
/// again). A tick may legitimately run long while the executor follows an order to its answer, so a
/// busy loop is only stalled once it has been busy for `busyAllowance` more than that.
public final class HeartbeatKeeper: Service {
    private let lifecycle = RunState("the heartbeat keeper", .restartable)
    public struct Settings: Sendable {
        public var writeInterval: Duration
        public var tickInterval: Duration
        public var missedTicks: Int
        public var busyAllowance: Duration

        public init(writeInterval: Duration = .seconds(5), tickInterval: Duration = .seconds(1), missedTicks: Int = 3, busyAllowance: Duration = .seconds(45)) {
            self.writeInterval = writeInterval
            self.tickInterval = tickInterval
            self.missedTicks = missedTicks
            self.busyAllowance = busyAllowance
        }
    }

    private let path: String
    private let pulse: @Sendable () -> LoopPulse
    private let registry: HealthRegistry
    private let clock: any WallClock
    private let logger: Logger
    private let settings: Settings
    private let startedAt: Timestamp

    public init(
        path: String, pulse: @escaping @Sendable () -> LoopPulse, registry: HealthRegistry, clock: any WallClock, logger: Logger,
        settings: Settings = Settings()
    ) {
        self.path = path
        self.pulse = pulse
        self.registry = registry
        self.clock = clock
        self.logger = logger
        self.settings = settings
        self.startedAt = clock.now
    }

    /// How long the loop has gone without ticking, when that is a stall; nil when it is alive.
    public static func stall(_ pulse: LoopPulse, now: Timestamp, since start: Timestamp, settings: Settings) -> Duration? {
        let limit = settings.tickInterval * settings.missedTicks
        if let busy = pulse.busySince {
            let age = busy.duration(to: now)
            return age > limit + settings.busyAllowance ? age : nil
        }
        let age = (pulse.lastTickEnded ?? start).duration(to: now)
        return age > limit ? age : nil
    }

    /// Refuses a second run while one goes on (its supervisor may run it again once it ended).
    public func run() async throws {
        try await lifecycle.running { try await serve() }
    }

    private func serve() async throws {
        try? await cancelWhenGracefulShutdown {
            var lastWrite: Timestamp?
            while !Task.isCancelled {
                let now = self.clock.now
                if lastWrite.map({ $0.duration(to: now) >= self.settings.writeInterval }) ?? true {
                    try self.beat(at: now)
                    lastWrite = now
                    // Serving once the heartbeat is written: its own real report.
                    self.registry.report(.heartbeatKeeper, from: .service, status: .ok)
                }
                self.watch(at: now)
                try await self.clock.sleep(for: self.settings.tickInterval)
            }
        }
    }

    /// Writes the heartbeat file. A failure is thrown: the supervisor restarts the keeper (supportive).
    public func beat(at now: Timestamp) throws(StateStoreError) {
        try AtomicFile.write(Array((now.rfc3339 + "\n").utf8), to: path)
    }

    /// Checks the loop once and reports what it found.
    public func watch(at now: Timestamp) {
        if let age = Self.stall(pulse(), now: now, since: startedAt, settings: settings) {
            registry.report(
                .tradingBot, from: .watchdog, status: .degraded,
                detail: "trading loop has not ticked for \(age.wholeSeconds) s")
        } else {
            registry.report(.tradingBot, from: .watchdog, status: .ok)
        }
    }
}
