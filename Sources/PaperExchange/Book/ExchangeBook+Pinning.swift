import Foundation
import Primitives

extension ExchangeBook {
    /// Sets `symbol`'s top of book to a recorded quote: from now on orders match and positions are valued
    /// against it, not against the walk; a resting limit order it reaches fills now, at its limit, as at a
    /// step of the walk (in the book's trading session). The symbol must be one of the book's. New orders
    /// are matched on the next `advance(to:)`.
    public mutating func pinQuote(_ symbol: Symbol, bid: Decimal, ask: Decimal, at time: Timestamp) {
        guard market.listing(symbol) != nil else { return }
        let now = time.truncatedToMilliseconds
        market.pinned[symbol] = PinnedQuote(bid: bid, ask: ask, time: now)
        guard isTrading(at: now.epochMilliseconds) else { return }
        for index in orders.indices where orders[index].status == .new && orders[index].symbol == symbol {
            guard let limit = orders[index].limitPrice else { continue }
            let crossed = orders[index].side == .buy ? ask <= limit : bid >= limit
            if crossed { fill(index, price: limit, at: now) }
        }
    }
}
