import Foundation
import Primitives

/// What a replay did, in numbers: the trades, the orders, the guard's rejections by check, the equity's
/// worst fall. Equal inputs give an equal result.
public struct ReplayResult: Sendable, Hashable {
    /// One round trip: an entry filled and the exit that closed it.
    public struct Trade: Sendable, Hashable {
        public var symbol: Symbol
        public var quantity: Decimal
        public var entryTime: Timestamp
        public var entryPrice: Decimal
        public var exitTime: Timestamp
        public var exitPrice: Decimal
        public var pnl: Decimal
        /// The close rule's words ("take profit", "stop loss", …).
        public var rule: String
        /// The flow alert that caused the entry, when one did.
        public var alertID: String?
    }

    /// An entry the guard refused: which check, for which alert.
    public struct RejectedEntry: Sendable, Hashable {
        public var check: String
        public var symbol: Symbol
        public var alertID: String?
        public var time: Timestamp
    }

    /// One point of the curves the report draws: the last tick of a stretch of the recording.
    public struct CurvePoint: Sendable, Hashable {
        public var time: Timestamp
        /// The equity at the stretch's last tick.
        public var equity: Decimal
        /// The largest drawdown (from the peak so far) in the stretch.
        public var drawdown: Decimal
        /// The largest exposure (the positions' value at the mid) in the stretch.
        public var exposure: Decimal
    }

    /// A position still open when the recording ended, valued at the last mid.
    public struct OpenPosition: Sendable, Hashable {
        public var symbol: Symbol
        public var quantity: Decimal
        public var entryPrice: Decimal
        public var lastMid: Decimal?
    }

    public var quotes = 0
    public var alerts = 0
    public var first: Timestamp?
    public var last: Timestamp?
    public var trades: [Trade] = []
    public var open: [OpenPosition] = []
    public var realizedPnL: Decimal = 0
    /// The largest fall of the account's equity (positions at the mid, every tick) from its peak before it.
    public var maxDrawdown: Decimal = 0
    public var startingEquity: Decimal = 0
    public var endingEquity: Decimal = 0
    /// Orders that reached the book.
    public var ordersSent = 0
    public var ordersFilled = 0
    /// Orders that ended with no fill (canceled after resting too long, expired).
    public var ordersEnded = 0
    public var brokerRefusals = 0
    /// Guard rejections by check name (`max_notional`, `cooldown`, …).
    public var rejections: [String: Int] = [:]
    /// Guard rejections by symbol, then check.
    public var rejectionsBySymbol: [Symbol: [String: Int]] = [:]
    /// Alerts skipped before the strategy saw them (stale, opposite), by reason.
    public var skippedSignals: [String: Int] = [:]
    /// Every entry the guard refused, in order.
    public var rejectedEntries: [RejectedEntry] = []
    /// The positions' value at the mid (long or short alike), at its largest, and when.
    public var peakExposure: Decimal = 0
    public var peakExposureTime: Timestamp?
    /// The exposure summed over the ticks, and the ticks: their quotient is the mean.
    public var exposureSum: Decimal = 0
    public var ticks = 0
    /// Equity, drawdown and exposure over time, at most `curvePoints` points (stretches of equal time).
    public var curve: [CurvePoint] = []
    public static let curvePoints = 400

    /// Nothing replayed yet.
    public init() {}

    public var wins: Int { trades.filter { $0.pnl > 0 }.count }
    public var rejectionCount: Int { rejections.values.reduce(0, +) }
    /// The exposure's mean over the ticks (0 without ticks).
    public var meanExposure: Decimal { ticks == 0 ? 0 : exposureSum / Decimal(ticks) }
}
