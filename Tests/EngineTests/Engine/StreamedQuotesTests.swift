@testable import Engine
import Foundation
@testable import Primitives
import Strategies
import Supervision
import Synchronization
import TestSupport
import Testing
@testable import TradingModel

/// The engine's quotes: taken from the market-data stream while it is up and a symbol's pushed quote is
/// fresh, asked over REST otherwise; the subscription follows the watchlist and what the engine asks about.
struct StreamedQuotesTests {
    /// A REST quote source that counts the symbols it is asked about.
    private final class CountingQuotes: QuoteSource {
        let inner: FixedQuotes
        private let asked = Mutex<[Symbol]>([])

        init(clock: any WallClock) { inner = FixedQuotes(clock: clock) }

        var symbolsAsked: [Symbol] { asked.withLock { $0 } }

        func latestQuotes(_ symbols: [Symbol]) async throws -> [Symbol: Quote] {
            asked.withLock { $0 += symbols }
            return try await inner.latestQuotes(symbols)
        }
    }

    private struct Setup {
        let clock = ManualClock()
        let rest: CountingQuotes
        let registry: HealthRegistry
        let quotes: StreamedQuotes
        let aapl = Symbol("AAPL")!
        let msft = Symbol("MSFT")!

        init(watchlist: Set<Symbol> = []) {
            rest = CountingQuotes(clock: clock)
            let log = LogCapture()
            registry = HealthRegistry(services: [(.quoteStream, false)], path: nil, clock: clock, bus: nil, logger: log.logger)
            quotes = StreamedQuotes(
                rest: rest, watchlist: watchlist, clock: clock, health: registry, logger: log.logger,
                settings: .init(staleAfter: .seconds(5), keepFollowing: .seconds(60)))
            rest.inner.set(aapl, bid: 100, ask: Decimal(string: "100.02")!)
            rest.inner.set(msft, bid: 400, ask: Decimal(string: "400.04")!)
        }

        func pushed(_ symbol: Symbol, bid: Decimal, age: Duration = .zero) -> Quote {
            Quote(symbol: symbol, bid: bid, ask: bid + 1, timestamp: clock.now.advanced(by: .zero - age))
        }
    }

    /// Before the stream is up every quote is asked over REST, and the symbols asked about are wanted on it.
    @Test func restWhileDown() async throws {
        let setup = Setup(watchlist: [Symbol("SPY")!])
        let quotes = try await setup.quotes.latestQuotes([setup.aapl])
        #expect(quotes[setup.aapl]?.bid == 100)
        #expect(setup.rest.symbolsAsked == [setup.aapl])
        #expect(setup.quotes.wantedSymbols == [Symbol("SPY")!, setup.aapl])
    }

    /// While the stream is up, a fresh pushed quote is used and REST is not asked; a symbol not pushed
    /// yet is asked over REST alone.
    @Test func freshStreamQuoteSparesTheRESTPoll() async throws {
        let setup = Setup()
        setup.quotes.streamListening()
        #expect(setup.registry.service(.quoteStream)?.status == .ok)
        setup.quotes.subscribed([setup.aapl])
        setup.quotes.received(setup.pushed(setup.aapl, bid: 101))
        let quotes = try await setup.quotes.latestQuotes([setup.aapl, setup.msft])
        #expect(quotes[setup.aapl]?.bid == 101)
        #expect(quotes[setup.msft]?.bid == 400)
        #expect(setup.rest.symbolsAsked == [setup.msft])
    }

    /// A pushed quote older than the bound — by its own time or by when it arrived — is never handed
    /// out: the REST answer replaces it.
    @Test func staleStreamQuoteIsReplacedOverREST() async throws {
        let setup = Setup()
        setup.quotes.streamListening()
        setup.quotes.subscribed([setup.aapl, setup.msft])
        setup.quotes.received(setup.pushed(setup.aapl, bid: 101))
        setup.quotes.received(setup.pushed(setup.msft, bid: 401, age: .seconds(6)))
        var quotes = try await setup.quotes.latestQuotes([setup.aapl, setup.msft])
        #expect(quotes[setup.aapl]?.bid == 101 && quotes[setup.msft]?.bid == 400)
        #expect(setup.rest.symbolsAsked == [setup.msft])
        setup.clock.advance(by: .seconds(6))
        quotes = try await setup.quotes.latestQuotes([setup.aapl])
        #expect(quotes[setup.aapl]?.bid == 100, "the quote pushed 6 s ago is stale")
        #expect(quotes[setup.aapl]?.timestamp == setup.clock.now)
        #expect(setup.rest.symbolsAsked == [setup.msft, setup.aapl])
    }

    /// A drop makes `quote-stream` DEGRADED with its reason and forgets every pushed quote: after it,
    /// and after a reconnection until quotes are pushed again, quotes come over REST.
    @Test func dropForgetsPushedQuotes() async throws {
        let setup = Setup()
        setup.quotes.streamListening()
        setup.quotes.subscribed([setup.aapl])
        setup.quotes.received(setup.pushed(setup.aapl, bid: 101))
        setup.quotes.streamDown(reason: "the market-data stream closed the connection")
        let health = setup.registry.service(.quoteStream)
        #expect(health?.status == .degraded && health?.detail?.contains("closed the connection") == true, "\(String(describing: health))")
        #expect(try await setup.quotes.latestQuotes([setup.aapl])[setup.aapl]?.bid == 100)
        setup.quotes.received(setup.pushed(setup.aapl, bid: 102))
        setup.quotes.streamListening()
        #expect(try await setup.quotes.latestQuotes([setup.aapl])[setup.aapl]?.bid == 100)
        #expect(setup.rest.symbolsAsked == [setup.aapl, setup.aapl])
        #expect(setup.registry.service(.quoteStream)?.status == .ok)
    }

    /// A symbol the engine stopped asking about is unsubscribed once `keepFollowing` has passed; the
    /// watchlist stays.
    @Test func subscriptionFollowsWhatIsAsked() async throws {
        let setup = Setup(watchlist: [Self.spy])
        _ = try await setup.quotes.latestQuotes([setup.aapl])
        setup.clock.advance(by: .seconds(30))
        _ = try await setup.quotes.latestQuotes([setup.msft])
        #expect(setup.quotes.wantedSymbols == [Self.spy, setup.aapl, setup.msft])
        setup.clock.advance(by: .seconds(31))
        #expect(setup.quotes.wantedSymbols == [Self.spy, setup.msft])
    }

    private static let spy = Symbol("SPY")!
}
