import Foundation
import Primitives

/// A top of book set from outside the walk (a recorded quote being replayed): the book matches and values
/// positions against it instead of the walk's, until it is replaced.
struct PinnedQuote: Sendable, Hashable {
    var bid: Decimal
    var ask: Decimal
    var time: Timestamp

    /// The quote as the exchange shows it: the last trade at the mid, sizes and venues fixed.
    func quote(_ listing: Listing, lastdayCents: Int64) -> MarketQuote {
        MarketQuote(
            listing: listing, time: time, bid: bid, ask: ask, bidSize: 1, askSize: 1, bidExchange: "V", askExchange: "V",
            last: (bid + ask) / 2, lastday: Decimal(lastdayCents) / 100, tradeSize: 100, tradeExchange: "V", tradeID: 0)
    }
}
