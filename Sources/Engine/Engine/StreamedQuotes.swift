import Logging
import Primitives
import Strategies
import Synchronization
import TradingModel

/// The engine's quotes: pushed by the market-data stream where it has a fresh one, asked of the broker
/// over REST (`rest`) otherwise — while the stream is down, for a symbol not yet subscribed, and for a
/// symbol whose newest pushed quote is older than `staleAfter`. A stale quote is never handed out: the
/// REST answer replaces it (and the guard still checks every quote's age before an order).
///
/// It also says which quotes the stream should push (`wantedSymbols`): the watchlist and every symbol
/// the engine asked about within `keepFollowing` (held positions are asked about every tick, a signal's
/// symbol once), so the subscription follows what is traded.
///
/// The self-healing pattern applied to the stream: a connection that ends (dropped, silent past its
/// pings, refused) is reported here — `quote-stream` DEGRADED with the reason, every pushed quote
/// forgotten and all quotes polled over REST; once a new connection is authenticated the stream is
/// trusted again (quotes are state, not events: nothing missed in the gap is needed) and `quote-stream` OK.
public final class StreamedQuotes: QuoteSource, QuoteUpdateSink {
    public struct Settings: Sendable {
        /// A pushed quote older than this (by its own time, or by when it arrived) is not used.
        public var staleAfter: Duration
        /// A symbol the engine asked about is followed on the stream for this long after.
        public var keepFollowing: Duration

        public init(staleAfter: Duration = .seconds(5), keepFollowing: Duration = .seconds(600)) {
            self.staleAfter = staleAfter
            self.keepFollowing = keepFollowing
        }
    }

    private struct State {
        var down: String? = "the market-data stream is not connected yet"
        var latest: [Symbol: (quote: Quote, arrived: Timestamp)] = [:]
        var subscribed: Set<Symbol> = []
        var asked: [Symbol: Timestamp] = [:]
        var polledOverREST = 0
    }

    private let rest: any QuoteSource
    private let watchlist: Set<Symbol>
    private let clock: any WallClock
    private let health: (any HealthReporter)?
    private let logger: Logger
    private let settings: Settings
    private let state = Mutex(State())

    public init(
        rest: any QuoteSource, watchlist: Set<Symbol> = [], clock: any WallClock, health: (any HealthReporter)?, logger: Logger,
        settings: Settings = Settings()
    ) {
        self.rest = rest
        self.watchlist = watchlist
        self.clock = clock
        self.health = health
        self.logger = logger
        self.settings = settings
    }

    /// Whether quotes are pushed now (a connection is authenticated).
    public var isLive: Bool { state.withLock { $0.down == nil } }

    /// Symbols asked of the broker over REST so far (one per symbol per request).
    public var polledOverREST: Int { state.withLock { $0.polledOverREST } }

    /// The quotes subscribed to, as the stream last confirmed them.
    public var subscribed: Set<Symbol> { state.withLock { $0.subscribed } }

    public func latestQuotes(_ symbols: [Symbol]) async throws -> [Symbol: Quote] {
        let now = clock.now
        let (pushed, missing) = state.withLock { state -> ([Symbol: Quote], [Symbol]) in
            for symbol in symbols { state.asked[symbol] = now }
            guard state.down == nil else { return ([:], symbols) }
            var pushed: [Symbol: Quote] = [:]
            var missing: [Symbol] = []
            for symbol in symbols {
                if let entry = state.latest[symbol], isFresh(entry.quote, arrived: entry.arrived, now: now) {
                    pushed[symbol] = entry.quote
                } else {
                    missing.append(symbol)
                }
            }
            return (pushed, missing)
        }
        guard !missing.isEmpty else { return pushed }
        let polled = try await rest.latestQuotes(missing)
        state.withLock { $0.polledOverREST += missing.count }
        return pushed.merging(polled) { stream, _ in stream }
    }

    private func isFresh(_ quote: Quote, arrived: Timestamp, now: Timestamp) -> Bool {
        quote.timestamp.duration(to: now) <= settings.staleAfter && arrived.duration(to: now) <= settings.staleAfter
    }

    public var wantedSymbols: Set<Symbol> {
        let now = clock.now
        return state.withLock { state in
            state.asked = state.asked.filter { $0.value.duration(to: now) <= settings.keepFollowing }
            return watchlist.union(state.asked.keys)
        }
    }

    public func streamListening() {
        state.withLock { state in
            state.down = nil
            state.latest = [:]
        }
        logger.notice("market-data stream authenticated; quotes are taken from it while fresh")
        health?.report(.quoteStream, from: .service, status: .ok)
    }

    public func streamDown(reason: String) {
        let wasDown: Bool = state.withLock { state in
            if state.down == reason { return true }
            state.down = reason
            state.latest = [:]
            state.subscribed = []
            return false
        }
        guard !wasDown else { return }
        logger.warning("market-data stream down; quotes are polled over REST", metadata: ["reason": "\(reason)"])
        health?.report(.quoteStream, from: .service, status: .degraded, detail: "stream down: \(reason)")
    }

    public func subscribed(_ symbols: Set<Symbol>) {
        state.withLock { state in
            state.subscribed = symbols
            state.latest = state.latest.filter { symbols.contains($0.key) }
        }
    }

    public func received(_ quote: Quote) {
        let now = clock.now
        state.withLock { state in
            guard state.down == nil, state.subscribed.contains(quote.symbol) else { return }
            state.latest[quote.symbol] = (quote, now)
        }
    }
}
