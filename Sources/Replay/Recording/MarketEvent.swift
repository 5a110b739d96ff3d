import Foundation
import Primitives
import Strategies

/// One line of a market recording: a quote or a flow alert, with the time Bulwark saw it.
public enum MarketEvent: Sendable, Hashable {
    case quote(Quote)
    /// A flow alert; `seenAt`, when Bulwark saw it later than it was created (a live recording), is the
    /// line's time, and the alert keeps its own creation time, so a replay finds it as old as live did.
    case flow(FlowSignal, seenAt: Timestamp? = nil)

    /// When it was seen: the quote's timestamp, the alert's creation time.
    public var time: Timestamp {
        switch self {
        case .quote(let quote): quote.timestamp
        case .flow(let signal, let seenAt): seenAt ?? signal.createdAt
        }
    }

    public var symbol: Symbol {
        switch self {
        case .quote(let quote): quote.symbol
        case .flow(let signal, _): signal.symbol
        }
    }
}
