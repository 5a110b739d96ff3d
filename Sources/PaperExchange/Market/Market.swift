import Foundation
import Primitives

/// Every symbol's price walk on one timeline: step `n` happens at `anchor + n × interval`, all symbols
/// together. The exchange steps it lazily up to the clock's time whenever it is asked for anything, so
/// with a manual clock the market is exactly reproducible.
public struct Market: Sendable, Equatable {
    /// A symbol's walk and the reference prices the account needs.
    struct Ticker: Sendable, Equatable {
        var listing: Listing
        var walk: PriceWalk
        /// The price when the previous session ended (`lastday_price`).
        var lastdayCents: Int64
    }

    /// Milliseconds since the epoch of step 0.
    private(set) var anchorMilliseconds: Int64
    let intervalMilliseconds: Int64
    private(set) var tickers: [Ticker]
    /// Quotes set from outside (a replayed recording): they win over the walk's (`ExchangeBook+Pinning`).
    var pinned: [Symbol: PinnedQuote] = [:]

    init(
        listings: [Listing], seed: UInt64, anchorMilliseconds: Int64, intervalMilliseconds: Int64,
        volatilityBasisPoints: Int64, spreadBasisPoints: Int64
    ) {
        self.anchorMilliseconds = anchorMilliseconds
        self.intervalMilliseconds = max(1, intervalMilliseconds)
        var seen = Set<Symbol>()
        self.tickers = listings.filter { seen.insert($0.symbol).inserted }.map { listing in
            let walk = PriceWalk(
                startPrice: listing.startPrice, seed: Mixing.hash(seed, Mixing.hash(listing.symbol.rawValue)),
                volatilityBasisPoints: volatilityBasisPoints, spreadBasisPoints: spreadBasisPoints)
            return Ticker(listing: listing, walk: walk, lastdayCents: walk.cents)
        }
    }

    init(restoring state: BookState.MarketRecord, seed: UInt64) {
        self.anchorMilliseconds = state.anchorMilliseconds
        self.intervalMilliseconds = max(1, state.intervalMilliseconds)
        self.tickers = state.symbols.map { record in
            let walk = PriceWalk(
                cents: record.cents, steps: state.steps, seed: Mixing.hash(seed, Mixing.hash(record.symbol.rawValue)),
                volatilityBasisPoints: state.volatilityBasisPoints, spreadBasisPoints: state.spreadBasisPoints)
            return Ticker(listing: Listing.listing(for: record.symbol), walk: walk, lastdayCents: record.lastdayCents)
        }
    }

    var record: BookState.MarketRecord {
        BookState.MarketRecord(
            anchorMilliseconds: anchorMilliseconds, intervalMilliseconds: intervalMilliseconds,
            volatilityBasisPoints: tickers.first?.walk.volatilityBasisPoints ?? 2,
            spreadBasisPoints: tickers.first?.walk.spreadBasisPoints ?? 2, steps: steps,
            symbols: tickers.map { .init(symbol: $0.listing.symbol, cents: $0.walk.cents, lastdayCents: $0.lastdayCents) })
    }

    /// Steps taken so far (the same for every symbol).
    public var steps: UInt64 { tickers.first?.walk.steps ?? 0 }

    public var symbols: [Symbol] { tickers.map(\.listing.symbol) }

    /// Milliseconds since the epoch of step `n`.
    func time(ofStep n: UInt64) -> Int64 { anchorMilliseconds + Int64(n) * intervalMilliseconds }

    /// When the latest step happened.
    public var lastStepTime: Timestamp { .milliseconds(time(ofStep: steps)) }

    /// The step in force at `milliseconds`: the last one at or before it (0 before the anchor).
    func step(at milliseconds: Int64) -> UInt64 {
        milliseconds <= anchorMilliseconds ? 0 : UInt64((milliseconds - anchorMilliseconds) / intervalMilliseconds)
    }

    /// Moves every walk one step.
    mutating func stepAll() {
        for index in tickers.indices { tickers[index].walk.step() }
    }

    /// Moves the timeline so that step `steps + remaining` falls at `milliseconds`: after a long gap the
    /// market resumes where it stopped instead of replaying the whole gap.
    mutating func rebase(soThatRemaining remaining: UInt64, endAt milliseconds: Int64) {
        anchorMilliseconds = milliseconds - Int64(steps + remaining) * intervalMilliseconds
    }

    /// Records each price as the previous session's close.
    mutating func closeSession() {
        for index in tickers.indices { tickers[index].lastdayCents = tickers[index].walk.cents }
    }

    func ticker(_ symbol: Symbol) -> Ticker? { tickers.first { $0.listing.symbol == symbol } }

    public func listing(_ symbol: Symbol) -> Listing? { ticker(symbol)?.listing }

    /// The latest quote of `symbol`, stamped with the step's time.
    public func quote(_ symbol: Symbol) -> MarketQuote? {
        guard let ticker = ticker(symbol) else { return nil }
        if let pin = pinned[symbol] { return pin.quote(ticker.listing, lastdayCents: ticker.lastdayCents) }
        let (bid, ask) = ticker.walk.quoteCents
        var generator = Mixing.generator(ticker.walk.seed, ticker.walk.steps, 0x5155_4F54)
        let venues = ["V", "Q", "N", "P", "Z", "K"]
        return MarketQuote(
            listing: ticker.listing, time: lastStepTime, bid: Decimal(bid) / 100, ask: Decimal(ask) / 100,
            bidSize: Int.random(in: 1...9, using: &generator), askSize: Int.random(in: 1...9, using: &generator),
            bidExchange: venues.randomElement(using: &generator)!, askExchange: venues.randomElement(using: &generator)!,
            last: ticker.walk.price, lastday: Decimal(ticker.lastdayCents) / 100,
            tradeSize: 100 * Int.random(in: 1...5, using: &generator), tradeExchange: venues.randomElement(using: &generator)!,
            tradeID: Int64(ticker.walk.steps) * 97 + Int64(Mixing.hash(symbol.rawValue) % 97))
    }
}

/// One symbol's top of book and last trade at a step.
public struct MarketQuote: Sendable, Hashable {
    public var listing: Listing
    public var time: Timestamp
    public var bid: Decimal
    public var ask: Decimal
    public var bidSize: Int
    public var askSize: Int
    public var bidExchange: String
    public var askExchange: String
    /// The last trade price (the walk's price).
    public var last: Decimal
    /// The previous session's closing price.
    public var lastday: Decimal
    public var tradeSize: Int
    public var tradeExchange: String
    public var tradeID: Int64

    public var symbol: Symbol { listing.symbol }
}

extension Timestamp {
    /// Whole milliseconds since the epoch (rounded down).
    public var epochMilliseconds: Int64 {
        let (seconds, nanoseconds) = epochComponents
        return seconds * 1000 + nanoseconds / 1_000_000
    }

    public static func milliseconds(_ milliseconds: Int64) -> Timestamp {
        Timestamp(sinceEpoch: .milliseconds(milliseconds))
    }

    /// This instant without its sub-millisecond part: what the exchange stores and shows.
    public var truncatedToMilliseconds: Timestamp { .milliseconds(epochMilliseconds) }
}
