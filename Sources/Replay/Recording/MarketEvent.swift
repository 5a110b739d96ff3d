import Foundation
import Primitives
import Strategies

/// One line of a market recording: a quote or a flow alert, with the time Bulwark saw it.
public enum MarketEvent: Sendable, Hashable {
    case quote(Quote)
    case flow(FlowSignal)

    /// When it was seen: the quote's timestamp, the alert's creation time.
    public var time: Timestamp {
        switch self {
        case .quote(let quote): quote.timestamp
        case .flow(let signal): signal.createdAt
        }
    }

    public var symbol: Symbol {
        switch self {
        case .quote(let quote): quote.symbol
        case .flow(let signal): signal.symbol
        }
    }
}
