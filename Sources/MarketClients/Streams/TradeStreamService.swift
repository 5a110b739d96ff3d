import Logging
import Primitives
import ServiceLifecycle
import TradingModel

/// Keeps the trading stream connected for as long as it runs: each connection's order updates go to
/// `sink`; a connection that ends — closed, refused, silent past its pings, or dropped by the chaos mode
/// `stream_drop` — is reported down with its reason and made again after a backoff on the injected clock
/// (doubling from `initialBackoff` to `maxBackoff`, back to the start once a connection listened). While
/// `stream_drop` is on, no connection is made.
public final class TradeStreamService: Service {
    public struct Settings: Sendable {
        public var initialBackoff: Duration
        public var maxBackoff: Duration
        /// How often the chaos switch is looked at while connected or held off.
        public var chaosPoll: Duration

        public init(initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(30), chaosPoll: Duration = .milliseconds(250)) {
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.chaosPoll = chaosPoll
        }
    }

    private let client: TradingStreamClient
    private let sink: any OrderUpdateSink
    private let chaos: ChaosSwitchboard?
    private let clock: any WallClock
    private let logger: Logger
    private let settings: Settings
    private let runState = RunState("trade-stream", .restartable)

    public init(
        client: TradingStreamClient, sink: any OrderUpdateSink, chaos: ChaosSwitchboard?, clock: any WallClock, logger: Logger,
        settings: Settings = Settings()
    ) {
        self.client = client
        self.sink = sink
        self.chaos = chaos
        self.clock = clock
        self.logger = logger
        self.settings = settings
    }

    /// The wait before the `failures`-th reconnection (1-based).
    public func backoff(after failures: Int) -> Duration {
        var delay = settings.initialBackoff
        for _ in 1..<max(failures, 1) {
            delay = delay * 2
            if delay >= settings.maxBackoff { return settings.maxBackoff }
        }
        return min(delay, settings.maxBackoff)
    }

    public func run() async throws {
        try await runState.running { await connectWhileRunning() }
    }

    private func connectWhileRunning() async {
        var failures = 0
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            if let cut = chaos?.streamCut {
                sink.streamDown(reason: "chaos \(cut.rawValue): the trading stream is cut off; orders are followed over REST")
                guard await pause(settings.chaosPoll) else { return }
                continue
            }
            let (reason, listened) = await connectOnce()
            if Task.isCancelled || Task.isShuttingDownGracefully { return }
            failures = listened ? 1 : failures + 1
            let delay = backoff(after: failures)
            logger.warning("trading stream down; reconnecting after a backoff", metadata: ["reason": "\(reason)", "backoff_ms": "\(delay.nanoseconds / 1_000_000)"])
            sink.streamDown(reason: "\(reason); orders are followed over REST; reconnecting in \(delay.nanoseconds / 1_000_000) ms")
            guard await pause(delay) else { return }
        }
    }

    /// Sleeps on the clock; false when cancelled or shutting down.
    private func pause(_ delay: Duration) async -> Bool {
        do {
            try await cancelWhenGracefulShutdown { try await self.clock.sleep(for: delay) }
            return !Task.isCancelled
        } catch {
            return false
        }
    }

    /// One connection, to its end: why it ended, and whether it got as far as listening.
    private func connectOnce() async -> (reason: String, listened: Bool) {
        let listened = LockedBox(false)
        let (client, sink, chaos, clock, poll, logger) = (self.client, self.sink, self.chaos, self.clock, settings.chaosPoll, self.logger)
        let reason = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do {
                    try await client.run { event in
                        switch event {
                        case .listening:
                            listened.value = true
                            logger.notice("trading stream listening to trade_updates")
                            sink.streamListening()
                        case .update(let update):
                            if let order = update.order.brokerOrder { sink.received(order) }
                        }
                    }
                    return "the trading stream closed the connection"
                } catch {
                    if Task.isCancelled { return nil }
                    return "the trading stream failed: \(error.operatorText)"
                }
            }
            if let chaos {
                group.addTask {
                    while !Task.isCancelled {
                        if let cut = chaos.streamCut { return "chaos \(cut.rawValue): the trading stream connection was dropped" }
                        do { try await clock.sleep(for: poll) } catch { return nil }
                    }
                    return nil
                }
            }
            group.addTask {
                // Ends the connection on a graceful shutdown.
                try? await gracefulShutdown()
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? "the trading stream connection was closed"
        }
        return (reason, listened.value)
    }
}
