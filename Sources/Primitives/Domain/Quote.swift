import Foundation

/// The latest bid and ask for a symbol, with when the market-data feed stamped it.
public struct Quote: Hashable, Sendable, Codable {
    public var symbol: Symbol
    public var bid: Decimal
    public var ask: Decimal
    public var timestamp: Timestamp

    public init(symbol: Symbol, bid: Decimal, ask: Decimal, timestamp: Timestamp) {
        self.symbol = symbol
        self.bid = bid
        self.ask = ask
        self.timestamp = timestamp
    }

    public var mid: Decimal { (bid + ask) / 2 }
}
