import Foundation
import Primitives
import Strategies
import Synchronization

/// Quotes a test sets, stamped with the clock's time when asked for.
public final class FixedQuotes: QuoteSource {
    private let prices = Mutex<[Symbol: (bid: Decimal, ask: Decimal)]>([:])
    private let clock: any WallClock

    public init(clock: any WallClock) {
        self.clock = clock
    }

    public func set(_ symbol: Symbol, bid: Decimal, ask: Decimal) {
        prices.withLock { $0[symbol] = (bid, ask) }
    }

    public func latestQuotes(_ symbols: [Symbol]) async throws -> [Symbol: Quote] {
        let now = clock.now
        return prices.withLock { prices in
            var quotes: [Symbol: Quote] = [:]
            for symbol in symbols {
                if let price = prices[symbol] { quotes[symbol] = Quote(symbol: symbol, bid: price.bid, ask: price.ask, timestamp: now) }
            }
            return quotes
        }
    }
}

/// Flow signals a test feeds in; returned newest first, like the real feed.
public final class ScriptedFlowSource: FlowSource {
    private let signals = Mutex<[FlowSignal]>([])

    public init() {}

    public func add(_ signal: FlowSignal) {
        signals.withLock { $0.append(signal) }
    }

    public func signals(newerThan: Timestamp?, limit: Int) async throws -> [FlowSignal] {
        signals.withLock { signals in
            Array(signals.filter { newerThan == nil || $0.createdAt > newerThan! }.sorted { $0.createdAt > $1.createdAt }.prefix(limit))
        }
    }
}
