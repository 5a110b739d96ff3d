import Assembly
import Engine
import Foundation
import Logging
import MarketClients
import PaperExchange
import Persistence
import Primitives
import RiskGuard
import Settings
import Strategies

/// `bulwark bench pipeline`: flow alerts end to end — strategy, guard, idempotent submit over HTTP to an
/// in-process paper exchange, follow to the fill, state saved and journal fsynced after every fill — then
/// the exit the same way. Reports orders per second and the share of the time spent in fsync.
package enum PipelineBenchmark {
    package struct Result {
        package var alerts: Int
        package var orders: Int
        package var elapsed: Duration
        package var fsyncTime: Duration
        package var fsyncCalls: Int64

        package var ordersPerSecond: Double { Double(orders) / max(elapsed.seconds, 1e-9) }
        package var fsyncShare: Double { fsyncTime.seconds / max(elapsed.seconds, 1e-9) }
    }

    package static func run(alerts: Int, directory: String) async throws -> Result {
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let clock = SystemClock()
        let exchange = try await BenchExchange.start(
            seed: 3, keyID: "PKBENCH0000000000001", secret: "benchsecretbenchsecret0001", clock: clock, logger: logger)
        defer { exchange.serverTask.cancel() }
        let connections = exchange.connections

        let store = try StateStore(directory: directory + "/state", clock: clock, logger: logger)
        let journal = try OrderJournal(path: directory + "/orders.jsonl", clock: clock, logger: logger)
        let limits = BenchExchange.openLimits(maxPriceDeviationPct: Decimal(string: "0.05")!)
        let (_, executor) = Runtime.orderPath(
            connections: connections, store: store, journal: journal, limits: limits, bus: nil, clock: clock, log: { _ in logger },
            settings: .init(followInterval: .milliseconds(2), followTimeout: .seconds(10)))
        let strategy = FlowFollowingStrategy(settings: .init(orderNotional: 5000))
        let symbols = ["AAPL", "MSFT", "NVDA", "AMZN"].compactMap(Symbol.init)

        let fsyncBefore = SyncStatistics.total
        let start = ContinuousClock.now
        var orders = 0
        for index in 0..<alerts {
            let symbol = symbols[index % symbols.count]
            let account = try await connections.trading.account()
            let quotes = try await connections.marketData.latestQuotes([symbol])
            let market = MarketSnapshot(account: account, quotes: quotes)
            let signal = FlowSignal(id: "bench-\(index)", symbol: symbol, kind: .call, totalPremium: 500_000, askSideShare: 1, createdAt: clock.now)
            let context = StrategyContext(positions: store.state.positions, quotes: quotes, marketOpen: true, now: clock.now)
            for action in strategy.actions(for: signal, in: context) + [.exit(symbol: symbol, reason: "bench")] {
                if case .filled = await executor.execute(action, market: market) { orders += 1 }
            }
        }
        let elapsed = ContinuousClock.now - start
        let fsyncAfter = SyncStatistics.total
        try? await exchange.transport.shutdown()
        return Result(alerts: alerts, orders: orders, elapsed: elapsed, fsyncTime: fsyncAfter.time - fsyncBefore.time, fsyncCalls: fsyncAfter.calls - fsyncBefore.calls)
    }
}
