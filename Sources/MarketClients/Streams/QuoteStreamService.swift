import Logging
import Primitives
import ServiceLifecycle
import TradingModel

/// Keeps the market-data stream connected for as long as it runs, as `TradeStreamService` does the
/// trading stream: each connection's quotes go to `sink`, which also says which symbols to follow; a
/// connection that ends — closed, refused, silent past its pings, or dropped by the chaos mode
/// `stream_drop` — is reported down with its reason and made again after a backoff on the injected clock
/// (doubling from `initialBackoff` to `maxBackoff`, back to the start once a connection authenticated).
/// While `stream_drop` is on, no connection is made: quotes are polled over REST.
public final class QuoteStreamService: Service {
    private let client: MarketDataStreamClient
    private let sink: any QuoteUpdateSink
    private let chaos: ChaosSwitchboard?
    private let clock: any WallClock
    private let logger: Logger
    private let settings: TradeStreamService.Settings
    private let runState = RunState("quote-stream", .restartable)

    public init(
        client: MarketDataStreamClient, sink: any QuoteUpdateSink, chaos: ChaosSwitchboard?, clock: any WallClock, logger: Logger,
        settings: TradeStreamService.Settings = TradeStreamService.Settings()
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
                sink.streamDown(reason: "chaos \(cut.rawValue): the market-data stream is cut off; quotes are polled over REST")
                guard await pause(settings.chaosPoll) else { return }
                continue
            }
            let (reason, listened) = await connectOnce()
            if Task.isCancelled || Task.isShuttingDownGracefully { return }
            failures = listened ? 1 : failures + 1
            let delay = backoff(after: failures)
            logger.warning("market-data stream down; reconnecting after a backoff", metadata: ["reason": "\(reason)", "backoff_ms": "\(delay.nanoseconds / 1_000_000)"])
            sink.streamDown(reason: "\(reason); quotes are polled over REST; reconnecting in \(delay.nanoseconds / 1_000_000) ms")
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

    /// One connection, to its end: why it ended, and whether it got as far as authenticating.
    private func connectOnce() async -> (reason: String, listened: Bool) {
        let listened = LockedBox(false)
        let (client, sink, chaos, clock, poll, logger) = (self.client, self.sink, self.chaos, self.clock, settings.chaosPoll, self.logger)
        let reason = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do {
                    try await client.run(wanted: { sink.wantedSymbols }, checkEvery: poll, clock: clock) { event in
                        switch event {
                        case .authenticated:
                            listened.value = true
                            logger.notice("market-data stream authenticated; following quotes")
                            sink.streamListening()
                        case .subscribed(let symbols):
                            sink.subscribed(symbols)
                        case .quote(let quote):
                            sink.received(quote)
                        }
                    }
                    return "the market-data stream closed the connection"
                } catch {
                    if Task.isCancelled { return nil }
                    return "the market-data stream failed: \(error.operatorText)"
                }
            }
            if let chaos {
                group.addTask {
                    while !Task.isCancelled {
                        if let cut = chaos.streamCut { return "chaos \(cut.rawValue): the market-data stream connection was dropped" }
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
            return first ?? "the market-data stream connection was closed"
        }
        return (reason, listened.value)
    }
}
