import Foundation
import Primitives
import TradingModel

/// The vital signs as the console shows them: the figures formatted once when they arrive (drawing never
/// formats a `Decimal`); the ages are worked out at drawing time from the console's clock.
public struct VitalsRow: Hashable, Sendable {
    /// One API's line: `alpaca 0.4/2.1ms 0 err`.
    public struct APIText: Hashable, Sendable {
        public var api: String
        /// `uw` for unusual-whales, `data` for alpaca-data: for the compact strip.
        public var shortName: String
        public var p50: String
        public var p99: String
        public var errors: Int
        public var calls: Int
        /// The p99 in microseconds, to find the slowest API without parsing text.
        public var p99Micros: Int64
    }

    /// One open order of the Open orders pane.
    public struct OrderRow: Hashable, Sendable {
        public var clientOrderID: String
        public var symbol: String
        public var side: String
        public var quantity: String
        public var limit: String
        public var status: String
        public var submittedAt: Timestamp
    }

    public var signs: VitalSigns
    public var equity: String
    public var cash: String
    public var buyingPower: String
    public var realizedToday: String
    public var realizedTotal: String
    public var unrealized: String
    /// `10.7%`, or `-` without an equity.
    public var exposure: String
    /// `30%`.
    public var exposureLimit: String
    /// The exposure is at or past its limit.
    public var exposureAtLimit: Bool
    public var apis: [APIText]
    public var orders: [OrderRow]

    public init(_ signs: VitalSigns) {
        self.signs = signs
        equity = signs.equity.map(TextFormat.money) ?? "-"
        cash = signs.cash.map(TextFormat.money) ?? "-"
        buyingPower = signs.buyingPower.map(TextFormat.money) ?? "-"
        realizedToday = TextFormat.signedMoney(signs.realizedToday)
        realizedTotal = TextFormat.signedMoney(signs.realizedTotal)
        unrealized = TextFormat.signedMoney(signs.unrealized)
        let fraction = signs.exposureFraction
        exposure = fraction.map { Self.percent($0) } ?? "-"
        exposureLimit = Self.percent(signs.exposureLimit)
        exposureAtLimit = fraction.map { signs.exposureLimit > 0 && $0 >= signs.exposureLimit } ?? false
        apis = signs.apis.map { api in
            APIText(
                api: api.api, shortName: Self.shortName(api.api), p50: api.p50.map(Self.milliseconds) ?? "-",
                p99: api.p99.map(Self.milliseconds) ?? "-", errors: api.errors, calls: api.calls,
                p99Micros: api.p99.map(Self.micros) ?? 0)
        }
        orders = signs.openOrders.map { order in
            OrderRow(
                clientOrderID: order.clientOrderID, symbol: order.symbol.rawValue, side: order.side == .buy ? "BUY" : "SELL",
                quantity: TextFormat.quantity(order.quantity), limit: order.limitPrice.map(TextFormat.money) ?? "market",
                status: order.status.rawValue, submittedAt: order.submittedAt)
        }
    }

    /// `10.7%` of a fraction (0.107), one decimal; a whole number without it (`30%`).
    static func percent(_ fraction: Decimal) -> String {
        let text = TextFormat.fixed(fraction * 100, places: 1)
        return (text.hasSuffix(".0") ? String(text.dropLast(2)) : text) + "%"
    }

    static func shortName(_ api: String) -> String {
        switch api {
        case "alpaca": "alpaca"
        case "alpaca-data": "data"
        case "unusual-whales": "uw"
        default: api
        }
    }

    static func micros(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    /// `0.4ms` under 10 ms, `45ms` under a second, `12.3s` beyond.
    static func milliseconds(_ duration: Duration) -> String {
        let micros = micros(duration)
        if micros < 10_000 { return "\(micros / 1000).\(micros % 1000 / 100)ms" }
        if micros < 1_000_000 { return "\(micros / 1000)ms" }
        return "\(micros / 1_000_000).\(micros % 1_000_000 / 100_000)s"
    }
}

/// The ages the vital signs show, and when each one turns to a warning (a stalled feed shows itself).
public enum VitalAge: CaseIterable, Sendable {
    /// In the order the strip writes them (most telling first: the strip drops what does not fit).
    case heartbeat, poll, quote, flowAlert, reconciliation

    /// The compact label of the strip and the long one of the Vital signs pane.
    public var label: String {
        switch self {
        case .flowAlert: "alert"
        case .poll: "poll"
        case .quote: "quote"
        case .heartbeat: "hb"
        case .reconciliation: "rec"
        }
    }

    public var longLabel: String {
        switch self {
        case .flowAlert: "flow alert"
        case .poll: "poll"
        case .quote: "quote"
        case .heartbeat: "heartbeat"
        case .reconciliation: "reconciled"
        }
    }

    /// Past this many seconds the age is a warning; nil when any age is normal (flow alerts come when they
    /// come). A quote is only expected while positions are held.
    public func threshold(holdingPositions: Bool) -> Int64? {
        switch self {
        case .flowAlert: nil
        case .poll: 60
        case .quote: holdingPositions ? 120 : nil
        case .heartbeat: 10
        case .reconciliation: 900
        }
    }

    public func time(in signs: VitalSigns) -> Timestamp? {
        switch self {
        case .flowAlert: signs.lastFlowAlert
        case .poll: signs.lastPoll
        case .quote: signs.lastQuote
        case .heartbeat: signs.heartbeat
        case .reconciliation: signs.lastReconciliation
        }
    }

    /// The age's text at `now` (`-` when it never happened) and whether it is past its threshold (then
    /// the text ends with `!`, so a warning is not shown by colour alone).
    public func reading(_ signs: VitalSigns, at now: Timestamp?, holdingPositions: Bool) -> (text: String, stale: Bool) {
        guard let time = time(in: signs) else { return ("-", false) }
        guard let now else { return ("0s", false) }
        let seconds = now.epochComponents.seconds - time.epochComponents.seconds
        let text = TextFormat.age(of: time, at: now)
        if let limit = threshold(holdingPositions: holdingPositions), seconds > limit { return (text + "!", true) }
        return (text, false)
    }
}
