import Foundation
import Primitives

/// Whether Bulwark is alive, at one moment: the money, the exposure against its limit, when each feed last
/// spoke, how each API answers, and the orders still open. Published about once a second (`.vitals`).
///
/// Ages are timestamps, not durations, so a console that receives the figures late (or keeps them while
/// frozen) still shows how old each one is by its own clock.
public struct VitalSigns: Hashable, Sendable, Codable {
    /// The latest account figures; nil until the account was read.
    public var equity: Decimal?
    public var cash: Decimal?
    public var buyingPower: Decimal?
    /// Realised PnL of the fills since midnight UTC, and of all fills the state holds.
    public var realizedToday: Decimal
    public var realizedTotal: Decimal
    /// Over the open positions, at their latest prices (entry price where there is none yet).
    public var unrealized: Decimal
    /// The gross market value of the open positions.
    public var exposure: Decimal
    /// `MAX_PORTFOLIO_EXPOSURE_PCT`, a fraction of equity (0.30 is 30%).
    public var exposureLimit: Decimal
    /// When a fresh flow alert last came in.
    public var lastFlowAlert: Timestamp?
    /// When the flow source last answered a poll.
    public var lastPoll: Timestamp?
    /// When a quote last came in (from the market-data API or the engine's quotes).
    public var lastQuote: Timestamp?
    /// When the trading loop's last tick ended (its heartbeat).
    public var heartbeat: Timestamp?
    /// When the state was last reconciled with the broker (either outcome).
    public var lastReconciliation: Timestamp?
    /// One per API, in `APICallWindow.apis` order.
    public var apis: [APIVitals]
    /// Oldest first.
    public var openOrders: [OpenOrder]

    public init(
        equity: Decimal? = nil, cash: Decimal? = nil, buyingPower: Decimal? = nil, realizedToday: Decimal = 0, realizedTotal: Decimal = 0,
        unrealized: Decimal = 0, exposure: Decimal = 0, exposureLimit: Decimal = 0, lastFlowAlert: Timestamp? = nil, lastPoll: Timestamp? = nil,
        lastQuote: Timestamp? = nil, heartbeat: Timestamp? = nil, lastReconciliation: Timestamp? = nil, apis: [APIVitals] = [],
        openOrders: [OpenOrder] = []
    ) {
        self.equity = equity
        self.cash = cash
        self.buyingPower = buyingPower
        self.realizedToday = realizedToday
        self.realizedTotal = realizedTotal
        self.unrealized = unrealized
        self.exposure = exposure
        self.exposureLimit = exposureLimit
        self.lastFlowAlert = lastFlowAlert
        self.lastPoll = lastPoll
        self.lastQuote = lastQuote
        self.heartbeat = heartbeat
        self.lastReconciliation = lastReconciliation
        self.apis = apis
        self.openOrders = openOrders
    }

    /// Exposure as a fraction of equity; nil without a positive equity.
    public var exposureFraction: Decimal? {
        guard let equity, equity > 0 else { return nil }
        return exposure / equity
    }
}

/// How one API answered over the last minute.
public struct APIVitals: Hashable, Sendable, Codable {
    /// "alpaca", "alpaca-data" or "unusual-whales".
    public var api: String
    /// Attempts (answered or failed) in the window.
    public var calls: Int
    /// Attempts that failed (any class) in the window.
    public var errors: Int
    /// Latency percentiles over the window's attempts; nil without any.
    public var p50: Duration?
    public var p99: Duration?
    /// When it last answered successfully (ever, not only in the window).
    public var lastSuccess: Timestamp?

    public init(api: String, calls: Int = 0, errors: Int = 0, p50: Duration? = nil, p99: Duration? = nil, lastSuccess: Timestamp? = nil) {
        self.api = api
        self.calls = calls
        self.errors = errors
        self.p50 = p50
        self.p99 = p99
        self.lastSuccess = lastSuccess
    }
}

/// An order Bulwark sent (or is sending) that has not filled completely or ended.
public struct OpenOrder: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        /// The intent is journaled; the broker has not acknowledged it yet.
        case pending
        case submitted
        case partiallyFilled = "partially filled"
    }

    public var clientOrderID: String
    public var symbol: Symbol
    public var side: OrderSide
    public var quantity: Decimal
    /// nil for a market order.
    public var limitPrice: Decimal?
    public var status: Status
    /// When the intent was made (the order's age counts from it).
    public var submittedAt: Timestamp

    public init(
        clientOrderID: String, symbol: Symbol, side: OrderSide, quantity: Decimal, limitPrice: Decimal?, status: Status, submittedAt: Timestamp
    ) {
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.status = status
        self.submittedAt = submittedAt
    }
}
