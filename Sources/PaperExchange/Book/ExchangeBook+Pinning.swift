import Foundation
import Primitives

extension ExchangeBook {
    /// Sets `symbol`'s top of book to a recorded quote: from now on orders match, resting limits fill and
    /// positions are valued against it, not against the walk. The symbol must be one of the book's.
    /// Orders are matched on the next `advance(to:)`; resting limits at each step of the walk it takes.
    public mutating func pinQuote(_ symbol: Symbol, bid: Decimal, ask: Decimal, at time: Timestamp) {
        guard market.listing(symbol) != nil else { return }
        market.pinned[symbol] = PinnedQuote(bid: bid, ask: ask, time: time.truncatedToMilliseconds)
    }
}
