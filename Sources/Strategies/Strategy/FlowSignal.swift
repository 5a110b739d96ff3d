import Foundation
import Primitives

/// An options-flow alert as the strategy reads it, whatever feed it came from.
public struct FlowSignal: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case call, put
    }

    public var id: String
    public var symbol: Symbol
    public var kind: Kind
    public var totalPremium: Decimal
    /// The share of the premium paid at the ask, when the feed gives both sides.
    public var askSideShare: Decimal?
    public var createdAt: Timestamp

    public init(id: String, symbol: Symbol, kind: Kind, totalPremium: Decimal, askSideShare: Decimal?, createdAt: Timestamp) {
        self.id = id
        self.symbol = symbol
        self.kind = kind
        self.totalPremium = totalPremium
        self.askSideShare = askSideShare
        self.createdAt = createdAt
    }
}

/// Where flow signals come from (Unusual Whales, or the paper exchange's generator).
public protocol FlowSource: Sendable {
    /// Alerts newer than `newerThan` (all recent ones when nil), newest first, at most `limit`.
    func signals(newerThan: Timestamp?, limit: Int) async throws -> [FlowSignal]
}

/// Where quotes come from.
public protocol QuoteSource: Sendable {
    func latestQuotes(_ symbols: [Symbol]) async throws -> [Symbol: Quote]
}
