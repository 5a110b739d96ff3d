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
import Synchronization
import TradingModel

/// `bulwark bench exits`: how long a stop loss waits while an entry on another symbol rests. The whole
/// trading loop (engine, flow-following strategy, guard, executor with its 30 s follow timeout) trades over
/// HTTP against an in-process paper exchange. The quotes the engine reads are shaded per symbol, so the
/// book is under the benchmark's control: AAPL's are shown 3 % under the market, so the strategy's limit
/// entry rests at the exchange; MSFT, held, is shown 5 % down at the trigger, so its stop loss fires. Each
/// trial measures from the trigger to the moment the exchange has accepted the MSFT exit.
package enum ExitLatencyBenchmark {
    package struct Result {
        /// Trigger → exit accepted by the exchange, one per trial.
        package var latencies: [Duration]
        package var elapsed: Duration

        package func percentile(_ fraction: Double) -> Duration {
            let sorted = latencies.sorted()
            guard !sorted.isEmpty else { return .zero }
            let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(max(rank, 0), sorted.count - 1)]
        }
    }

    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    static let resting = Symbol("AAPL")!
    static let held = Symbol("MSFT")!

    /// `progress` hears each trial's figure as it is measured.
    package static func run(trials: Int, directory: String, progress: @Sendable (Int, Duration) -> Void = { _, _ in }) async throws -> Result {
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let clock = SystemClock()
        let exchange = try await BenchExchange.start(
            seed: 5, keyID: "PKBENCH0000000000002", secret: "benchsecretbenchsecret0002", clock: clock, logger: logger)
        defer { exchange.serverTask.cancel() }
        let connections = exchange.connections

        let store = try StateStore(directory: directory + "/state", clock: clock, logger: logger)
        let journal = try OrderJournal(path: directory + "/orders.jsonl", clock: clock, logger: logger)
        let limits = BenchExchange.openLimits(maxPriceDeviationPct: Decimal(string: "0.1")!)
        let router = ClockedRouter(
            inner: AlpacaOrderRouter(
                client: connections.trading, submitter: OrderSubmitter(client: connections.trading, ledger: store, clock: clock, logger: logger)))
        let executor = OrderExecutor(
            store: store, router: router, gate: OrderGate(tradeGuard: TradeGuard(limits: limits), journal: journal, bus: nil, logger: logger),
            journal: journal, bus: nil, clock: clock, logger: logger)
        let quotes = ShadedQuotes(inner: connections.marketData)
        quotes.shade(resting, by: Decimal(string: "0.97")!)
        let reconciler = Reconciler(store: store, broker: connections.trading, clock: clock, logger: logger)
        let inbox = SignalInbox()
        let engine = TradingEngine(
            parts: TradingEngine.Parts(
                store: store, reconciler: reconciler, controller: TradingController(store: store, reconciler: reconciler, logger: logger),
                executor: executor, strategy: FlowFollowingStrategy(settings: .init(orderNotional: 1000)), broker: connections.trading,
                quotes: quotes, router: router, inbox: inbox, checkCompatibility: { .init(reason: nil, detail: "bench") }),
            bus: nil, clock: clock, logger: logger)
        let engineTask = Task { try await engine.run() }
        defer { engineTask.cancel() }

        var alerts = 0
        func alert(_ symbol: Symbol) {
            alerts += 1
            inbox.put([FlowSignal(id: "bench-exits-\(alerts)", symbol: symbol, kind: .call, totalPremium: 500_000, askSideShare: 1, createdAt: clock.now)])
        }

        let start = ContinuousClock.now
        var latencies: [Duration] = []
        var generator = SystemRandomNumberGenerator()
        for trial in 1...trials {
            // MSFT held, bought at the market.
            if store.state.positions[held] == nil {
                alert(held)
                try await waitFor("MSFT to be bought") { store.state.positions[held] != nil }
            }
            // An AAPL entry rests at the exchange (a new one once the last was canceled at its timeout).
            if !store.state.pendingIntents.contains(where: { $0.symbol == resting }) {
                let sent = router.submissions(of: resting)
                alert(resting)
                try await waitFor("the AAPL entry to reach the exchange") { router.submissions(of: resting) > sent }
            }
            // Out of step with the loop's tick, the price of MSFT falls through its stop loss.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0..<1000, using: &generator)))
            let exits = router.submissions(of: held)
            quotes.shade(held, by: Decimal(string: "0.95")!)
            let trigger = ContinuousClock.now
            try await waitFor("the MSFT stop loss to reach the exchange", within: .seconds(90)) { router.submissions(of: held) > exits }
            let latency = router.lastSubmission(of: held)! - trigger
            latencies.append(latency)
            progress(trial, latency)
            quotes.shade(held, by: 1)
            try await waitFor("the MSFT exit to be applied", within: .seconds(90)) { store.state.positions[held] == nil }
        }
        let elapsed = ContinuousClock.now - start
        engine.stopSending()
        _ = await engineTask.result
        try? await exchange.transport.shutdown()
        return Result(latencies: latencies, elapsed: elapsed)
    }

    /// Polls `condition` every 10 ms until it holds; throws after `within`.
    private static func waitFor(_ what: String, within: Duration = .seconds(60), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: within)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw Failure(description: "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// The exchange's quotes, each symbol's multiplied by its shade (1 unless set).
private final class ShadedQuotes: QuoteSource {
    private let inner: any QuoteSource
    private let shades = Mutex<[Symbol: Decimal]>([:])

    init(inner: any QuoteSource) {
        self.inner = inner
    }

    func shade(_ symbol: Symbol, by factor: Decimal) {
        shades.withLock { $0[symbol] = factor }
    }

    func latestQuotes(_ symbols: [Symbol]) async throws -> [Symbol: Quote] {
        var quotes = try await inner.latestQuotes(symbols)
        let shades = shades.withLock { $0 }
        for (symbol, factor) in shades where factor != 1 {
            guard let quote = quotes[symbol] else { continue }
            quotes[symbol] = Quote(symbol: symbol, bid: cents(quote.bid * factor), ask: cents(quote.ask * factor), timestamp: quote.timestamp)
        }
        return quotes
    }

    private func cents(_ value: Decimal) -> Decimal {
        var copy = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &copy, 2, .plain)
        return rounded
    }
}

/// A router that notes when the exchange accepted each symbol's orders.
private final class ClockedRouter: OrderRouter {
    private let inner: any OrderRouter
    private let accepted = Mutex<[Symbol: [ContinuousClock.Instant]]>([:])

    init(inner: any OrderRouter) {
        self.inner = inner
    }

    func submissions(of symbol: Symbol) -> Int { accepted.withLock { $0[symbol]?.count ?? 0 } }
    func lastSubmission(of symbol: Symbol) -> ContinuousClock.Instant? { accepted.withLock { $0[symbol]?.last } }

    func submit(_ intent: OrderIntent) async throws -> BrokerOrder {
        let order = try await inner.submit(intent)
        let now = ContinuousClock.now
        accepted.withLock { $0[intent.symbol, default: []].append(now) }
        return order
    }

    func order(brokerOrderID: String) async throws -> BrokerOrder { try await inner.order(brokerOrderID: brokerOrderID) }
    func cancel(brokerOrderID: String) async throws { try await inner.cancel(brokerOrderID: brokerOrderID) }
    func isMarketOpen() async throws -> Bool { try await inner.isMarketOpen() }
}
