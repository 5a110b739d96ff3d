import Foundation
import TradingCore

/// One bar of one symbol: the walk's steps in `[start, start + length)`, each step a trade at the walk's
/// price of the step's trade size (the size the latest-trade route shows).
public struct Bar: Sendable, Hashable {
    /// Milliseconds since the epoch at which the bar opens.
    public var start: Int64
    public var openCents: Int64
    public var highCents: Int64
    public var lowCents: Int64
    public var closeCents: Int64
    public var volume: Int64
    public var trades: Int64
    /// Σ price in cents × size, for the volume-weighted average price.
    var notionalCents: Int64

    init(start: Int64, cents: Int64, size: Int64) {
        self.start = start
        openCents = cents
        highCents = cents
        lowCents = cents
        closeCents = cents
        volume = size
        trades = 1
        notionalCents = cents * size
    }

    mutating func add(cents: Int64, size: Int64) {
        highCents = max(highCents, cents)
        lowCents = min(lowCents, cents)
        closeCents = cents
        volume += size
        trades += 1
        notionalCents += cents * size
    }

    /// `next` (a later bar) folded into this one.
    mutating func merge(_ next: Bar) {
        highCents = max(highCents, next.highCents)
        lowCents = min(lowCents, next.lowCents)
        closeCents = next.closeCents
        volume += next.volume
        trades += next.trades
        notionalCents += next.notionalCents
    }

    public var vwap: Decimal { volume == 0 ? Decimal(closeCents) / 100 : (Decimal(notionalCents) / Decimal(volume) / 100).rounded(4) }

    /// Consecutive bars (oldest first) grouped into buckets of `milliseconds` aligned on the epoch.
    static func aggregate(_ bars: [Bar], into milliseconds: Int64) -> [Bar] {
        var result: [Bar] = []
        for bar in bars {
            let bucket = bar.start.floorDivided(by: milliseconds) * milliseconds
            if var last = result.last, last.start == bucket {
                last.merge(bar)
                result[result.count - 1] = last
            } else {
                var first = bar
                first.start = bucket
                result.append(first)
            }
        }
        return result
    }
}

/// The account's equity at the end of a minute or a day.
public struct EquityPoint: Sendable, Hashable {
    public var start: Int64
    public var equity: Decimal
}

/// What the exchange has seen since the book was created or loaded, for bars, snapshots and portfolio
/// history: per symbol the completed one-minute bars of the last two days and the daily bars (UTC days)
/// of the last thousand, and the equity at each minute and day. Kept in memory only: a restarted
/// exchange starts its history again (its market carries on).
struct BookHistory: Sendable {
    static let minutesKept = 2 * 1_440
    static let daysKept = 1_000
    static let minuteMilliseconds: Int64 = 60_000

    private(set) var minutes: [Symbol: [Bar]] = [:]
    private(set) var currentMinute: [Symbol: Bar] = [:]
    private(set) var days: [Symbol: [Bar]] = [:]
    private(set) var currentDay: [Symbol: Bar] = [:]
    private(set) var minuteEquity: [EquityPoint] = []
    private(set) var currentMinuteEquity: EquityPoint?
    private(set) var dayEquity: [EquityPoint] = []
    private(set) var currentDayEquity: EquityPoint?

    /// Records one step of `symbol` at `milliseconds`.
    mutating func record(_ symbol: Symbol, cents: Int64, size: Int64, at milliseconds: Int64) {
        let minute = milliseconds.floorDivided(by: Self.minuteMilliseconds) * Self.minuteMilliseconds
        let day = milliseconds.floorDivided(by: ExchangeBook.dayMilliseconds) * ExchangeBook.dayMilliseconds
        Self.roll(&minutes[symbol, default: []], &currentMinute[symbol], start: minute, cents: cents, size: size, kept: Self.minutesKept)
        Self.roll(&days[symbol, default: []], &currentDay[symbol], start: day, cents: cents, size: size, kept: Self.daysKept)
    }

    /// Records the equity after a step at `milliseconds`.
    mutating func record(equity: Decimal, at milliseconds: Int64) {
        let minute = milliseconds.floorDivided(by: Self.minuteMilliseconds) * Self.minuteMilliseconds
        let day = milliseconds.floorDivided(by: ExchangeBook.dayMilliseconds) * ExchangeBook.dayMilliseconds
        Self.roll(&minuteEquity, &currentMinuteEquity, EquityPoint(start: minute, equity: equity), kept: Self.minutesKept)
        Self.roll(&dayEquity, &currentDayEquity, EquityPoint(start: day, equity: equity), kept: Self.daysKept)
    }

    private static func roll(_ done: inout [Bar], _ current: inout Bar?, start: Int64, cents: Int64, size: Int64, kept: Int) {
        if var bar = current, bar.start == start {
            bar.add(cents: cents, size: size)
            current = bar
            return
        }
        if let bar = current {
            done.append(bar)
            if done.count > kept { done.removeFirst(done.count - kept) }
        }
        current = Bar(start: start, cents: cents, size: size)
    }

    private static func roll(_ done: inout [EquityPoint], _ current: inout EquityPoint?, _ point: EquityPoint, kept: Int) {
        if let previous = current, previous.start != point.start {
            done.append(previous)
            if done.count > kept { done.removeFirst(done.count - kept) }
        }
        current = point
    }

    /// Completed one-minute bars of `symbol`, oldest first.
    func minuteBars(_ symbol: Symbol) -> [Bar] { minutes[symbol] ?? [] }

    /// Daily bars of `symbol`, oldest first, today's (so far) last.
    func dailyBars(_ symbol: Symbol) -> [Bar] { (days[symbol] ?? []) + (currentDay[symbol].map { [$0] } ?? []) }

    /// Equity at the end of each minute (or day), oldest first, the current one (so far) last.
    func equity(daily: Bool) -> [EquityPoint] {
        daily ? dayEquity + (currentDayEquity.map { [$0] } ?? []) : minuteEquity + (currentMinuteEquity.map { [$0] } ?? [])
    }
}

extension ExchangeBook {
    /// Records every symbol's step and the equity after it (called once per market step).
    mutating func recordHistory(stepMilliseconds: Int64) {
        var equity = cash
        for symbol in market.symbols {
            guard let quote = market.quote(symbol) else { continue }
            let cents = NSDecimalNumber(decimal: quote.last * 100).int64Value
            history.record(symbol, cents: cents, size: Int64(quote.tradeSize), at: stepMilliseconds)
            if let held = positionRecords[symbol]?.quantity { equity += held * quote.last }
        }
        for (symbol, record) in positionRecords where market.listing(symbol) == nil {
            equity += record.quantity * record.averageEntryPrice
        }
        history.record(equity: equity.rounded(2), at: stepMilliseconds)
    }

    /// Bars of `symbol` in `timeframe`, oldest first: built from the completed minutes, or for days
    /// from the daily bars (today's so far included).
    public func bars(_ symbol: Symbol, timeframe: BarTimeframe) -> [Bar] {
        switch timeframe {
        case .minutes(let count):
            let minutes = history.minuteBars(symbol)
            return count == 1 ? minutes : Bar.aggregate(minutes, into: Int64(count) * BookHistory.minuteMilliseconds)
        case .hours(let count):
            return Bar.aggregate(history.minuteBars(symbol), into: Int64(count) * 3_600_000)
        case .day:
            return history.dailyBars(symbol)
        }
    }

    /// The latest completed one-minute bar of `symbol`.
    public func latestMinuteBar(_ symbol: Symbol) -> Bar? { history.minuteBars(symbol).last }

    /// Equity at the end of each minute or day, oldest first; the current one last, at today's equity
    /// (orders matched since the last step included).
    public func equityHistory(daily: Bool) -> [EquityPoint] {
        var points = history.equity(daily: daily)
        if !points.isEmpty { points[points.count - 1].equity = accountFigures.equity }
        return points
    }
}

/// A bar length the exchange builds: `NMin` (1–59), `NHour` (1–23) or `1Day`.
public enum BarTimeframe: Sendable, Hashable {
    case minutes(Int)
    case hours(Int)
    case day

    /// Alpaca's spellings: `1Min`, `5Min`, `15Min`, `1Hour`, `1Day`, also `1T`, `1H`, `1D`, `Min`, `Hour`, `Day`.
    public init?(_ text: String) {
        let digits = text.prefix { $0.isNumber }
        let unit = text.dropFirst(digits.count)
        guard digits.count <= 3 else { return nil }
        let count = digits.isEmpty ? 1 : Int(digits) ?? 0
        switch unit {
        case "Min", "T":
            guard (1...59).contains(count) else { return nil }
            self = .minutes(count)
        case "Hour", "H":
            guard (1...23).contains(count) else { return nil }
            self = .hours(count)
        case "Day", "D":
            guard count == 1 else { return nil }
            self = .day
        default:
            return nil
        }
    }

    /// Milliseconds a bar spans.
    public var milliseconds: Int64 {
        switch self {
        case .minutes(let count): Int64(count) * 60_000
        case .hours(let count): Int64(count) * 3_600_000
        case .day: 86_400_000
        }
    }
}
