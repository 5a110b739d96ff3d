import Assembly
import Engine
import Foundation
import Logging
import MarketClients
import Persistence
import Primitives
import Settings
import Strategies
import TradingModel

/// `bulwark bench pipeline`'s second part: how long after a fill at the exchange Bulwark has it saved,
/// learning it from the trading stream. Entries rest a cent under the ask on an in-process paper exchange (its book
/// stepping every 50 ms) until the walk fills them; Bulwark follows them as the engine does — its
/// `TradeStreamService` feeding `OrderUpdates`, the `OrderFollower` applying a pushed fill with
/// production's settings — and each fill is timed from its arrival on a second, bare stream connection
/// (the fill as the exchange published it, one loopback hop later) to the follower's report that the
/// state and journal are written.
package enum FillToStateBenchmark {
    package struct Result: Sendable {
        /// Fill-to-state latencies, sorted.
        package var samples: [Duration]
        /// Fills Bulwark learned over REST instead (the stream was not live for them): not in `samples`.
        package var missed: Int

        package func percentile(_ fraction: Double) -> Duration {
            guard !samples.isEmpty else { return .zero }
            return samples[min(samples.count - 1, max(0, Int((Double(samples.count) * fraction).rounded(.up)) - 1))]
        }
    }

    private struct Timings: Sendable {
        var published: [String: ContinuousClock.Instant] = [:]
        var saved: [String: ContinuousClock.Instant] = [:]
    }

    package static func run(fills: Int, directory: String, timeout: Duration = .seconds(120)) async throws -> Result {
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let clock = SystemClock()
        let keyID = "PKBENCH0000000000002"
        let secret = "benchsecretbenchsecret0002"
        let exchange = try await BenchExchange.start(
            seed: 11, keyID: keyID, secret: secret, clock: clock, logger: logger, quoteInterval: .milliseconds(50))
        defer { exchange.serverTask.cancel() }
        let connections = exchange.connections
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let store = try StateStore(directory: directory + "/state", clock: clock, logger: logger)
        let journal = try OrderJournal(path: directory + "/orders.jsonl", clock: clock, logger: logger)
        let (_, executor) = Runtime.orderPath(
            connections: connections, store: store, journal: journal, limits: BenchExchange.openLimits(maxPriceDeviationPct: Decimal(string: "0.05")!),
            bus: nil, clock: clock, log: { _ in logger })
        let updates = OrderUpdates(health: nil, logger: logger)
        let follower = OrderFollower(executor: executor, clock: clock, logger: logger, updates: updates)
        let timings = LockedBox(Timings())
        let observer = connections.tradingStream
        let symbols = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "SPY", "QQQ"].compactMap(Symbol.init)

        let result = try await withThrowingTaskGroup(of: Void.self) { group -> Result in
            defer { group.cancelAll() }
            group.addTask {
                try await observer.run { event in
                    guard case .update(let update) = event, update.event == .fill, let id = update.order.brokerOrder?.brokerOrderID else { return }
                    let now = ContinuousClock.now
                    timings.withLock { $0.published[id] = now }
                }
            }
            group.addTask {
                try await TradeStreamService(client: connections.tradingStream, sink: updates, chaos: nil, clock: clock, logger: logger).run()
            }
            group.addTask {
                await follower.run { outcome in
                    guard case .filled(let order) = outcome else { return }
                    let now = ContinuousClock.now
                    timings.withLock { $0.saved[order.brokerOrderID] = now }
                }
            }
            let deadline = ContinuousClock.now + timeout
            while !updates.isLive {
                guard ContinuousClock.now < deadline else { throw BenchmarkFailure("bench pipeline: the trading stream did not go live") }
                try await Task.sleep(for: .milliseconds(10))
            }
            var sent = 0
            while timings.withLock({ $0.saved.count }) < fills, ContinuousClock.now < deadline {
                for symbol in symbols where sent < fills && !follower.isInFlight(symbol) {
                    let account = try await connections.trading.account()
                    let quotes = try await connections.marketData.latestQuotes([symbol])
                    // A cent under the ask: resting when sent, filled by the next step that lowers the ask.
                    guard let ask = quotes[symbol]?.ask else { continue }
                    let action = StrategyAction.enter(symbol: symbol, quantity: 1, limitPrice: ask - Decimal(string: "0.01")!, reason: "bench fill-to-state")
                    switch await executor.send(action, market: MarketSnapshot(account: account, quotes: quotes)) {
                    case .inFlight(let flight):
                        follower.track(flight)
                        sent += 1
                    case .done:
                        break
                    }
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            let (published, saved) = timings.withLock { ($0.published, $0.saved) }
            var samples: [Duration] = []
            var missed = 0
            for (id, savedAt) in saved {
                if let publishedAt = published[id], publishedAt <= savedAt { samples.append(savedAt - publishedAt) } else { missed += 1 }
            }
            return Result(samples: samples.sorted(), missed: missed)
        }
        executor.stopSending()
        try? await exchange.transport.shutdown()
        return result
    }
}
