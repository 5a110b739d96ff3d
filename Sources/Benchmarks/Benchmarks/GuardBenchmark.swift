import Foundation
import Primitives
import RiskGuard

/// `bulwark bench guard`: evaluations of the trade guard against a context of 50 open positions,
/// each timed on its own; reports the median and 99th percentile.
public enum GuardBenchmark {
    public struct Result: Sendable {
        public var evaluations: Int
        public var positions: Int
        public var p50: Duration
        public var p99: Duration
        public var max: Duration
        /// How many of the evaluations were approved (the longest path: every check runs).
        public var approved: Int
    }

    public static func run(evaluations: Int, positions count: Int = 50) -> Result {
        precondition(evaluations > 0 && count > 0)
        let now = Timestamp.seconds(1_800_000_000)
        var positions: [Symbol: HeldPosition] = [:]
        var quotes: [Symbol: Quote] = [:]
        var lastTrades: [Symbol: Timestamp] = [:]
        for index in 0..<count {
            let symbol = Symbol("SYM\(index)")!
            let price = Decimal(50 + index)
            positions[symbol] = HeldPosition(quantity: 2, marketValue: 2 * price)
            quotes[symbol] = Quote(symbol: symbol, bid: price - Decimal(string: "0.01")!, ask: price + Decimal(string: "0.01")!, timestamp: now)
            lastTrades[symbol] = now.advanced(by: .seconds(-3600))
        }
        let fresh = Symbol("NEW")!
        quotes[fresh] = Quote(symbol: fresh, bid: Decimal(string: "99.99")!, ask: Decimal(string: "100.01")!, timestamp: now)
        let context = GuardContext(
            equity: 100_000, buyingPower: 50_000, positions: positions, quotes: quotes, lastTradeAt: lastTrades,
            tradingMode: .active, now: now)
        let guardian = TradeGuard(limits: GuardLimits(
            maxPositionSizeUSD: 500, maxNotionalPerOrder: 2000, maxPortfolioExposurePct: Decimal(string: "0.30")!,
            maxConcentrationPerSymbolPct: Decimal(string: "0.15")!, maxPriceDeviationPct: Decimal(string: "0.05")!,
            minCooldown: .seconds(300), quoteMaxAge: .seconds(60)))
        // A mix: entries that pass every check, exits, and rejections late and early in the order.
        let orders = [
            ProposedOrder(symbol: "NEW", side: .buy, quantity: 3, limitPrice: 100),
            ProposedOrder(symbol: "SYM7", side: .buy, quantity: 1, limitPrice: nil),
            ProposedOrder(symbol: "NEW", side: .buy, quantity: 4, limitPrice: Decimal(string: "100.05")!),
            ProposedOrder(symbol: "SYM3", side: .sell, quantity: 1, limitPrice: nil),
            ProposedOrder(symbol: "NEW", side: .buy, quantity: 10, limitPrice: 100),
            ProposedOrder(symbol: "NEW", side: .buy, quantity: 2, limitPrice: 100),
            ProposedOrder(symbol: "SYM12", side: .sell, quantity: 5, limitPrice: nil),
            ProposedOrder(symbol: "NEW", side: .sell, quantity: 1, limitPrice: 150),
        ]
        var samples = [Int64](repeating: 0, count: evaluations)
        var approved = 0
        let clock = ContinuousClock()
        for index in 0..<evaluations {
            let order = orders[index & 7]
            let start = clock.now
            let decision = guardian.evaluate(order, in: context)
            let elapsed = clock.now - start
            if decision.isApproved { approved += 1 }
            samples[index] = elapsed.nanoseconds
        }
        samples.sort()
        func percentile(_ p: Double) -> Duration {
            .nanoseconds(samples[min(samples.count - 1, Int(Double(samples.count) * p))])
        }
        return Result(evaluations: evaluations, positions: count, p50: percentile(0.5), p99: percentile(0.99), max: .nanoseconds(samples.last!), approved: approved)
    }
}
