import Foundation
import Primitives

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
/// of the last thousand, and the equity at the end of each minute and day. Kept in memory only: a
/// restarted exchange starts its history again (its market carries on). Recording is on every market
/// step, so it works on the tickers' positions in the market and on integers.
struct BookHistory: Sendable {
    static let minutesKept = 2 * 1_440
    static let daysKept = 1_000
    static let minuteMilliseconds: Int64 = 60_000

    struct Series: Sendable {
        var symbol: Symbol
        var minutes: [Bar] = []
        var currentMinute: Bar?
        var days: [Bar] = []
        var currentDay: Bar?

        mutating func record(minute: Int64, day: Int64, cents: Int64, size: Int64) {
            BookHistory.roll(&minutes, &currentMinute, start: minute, cents: cents, size: size, kept: BookHistory.minutesKept)
            BookHistory.roll(&days, &currentDay, start: day, cents: cents, size: size, kept: BookHistory.daysKept)
        }
    }

    /// One per ticker, in the market's order.
    private(set) var series: [Series] = []
    private(set) var minuteEquity: [EquityPoint] = []
    private(set) var dayEquity: [EquityPoint] = []
    private(set) var currentDayEquity: EquityPoint?

    /// Records one step of the ticker at `index` of the market at `milliseconds`.
    mutating func record(_ index: Int, _ symbol: Symbol, cents: Int64, size: Int64, at milliseconds: Int64) {
        while series.count <= index { series.append(Series(symbol: symbol)) }
        let minute = milliseconds.floorDivided(by: Self.minuteMilliseconds) * Self.minuteMilliseconds
        let day = milliseconds.floorDivided(by: ExchangeBook.dayMilliseconds) * ExchangeBook.dayMilliseconds
        series[index].record(minute: minute, day: day, cents: cents, size: size)
    }

    /// Records the equity at the end of the minute that `milliseconds` falls in.
    mutating func recordEndOfMinute(equity: Decimal, at milliseconds: Int64) {
        let minute = milliseconds.floorDivided(by: Self.minuteMilliseconds) * Self.minuteMilliseconds
        let day = milliseconds.floorDivided(by: ExchangeBook.dayMilliseconds) * ExchangeBook.dayMilliseconds
        if minuteEquity.last?.start == minute {
            minuteEquity[minuteEquity.count - 1].equity = equity
        } else {
            minuteEquity.append(EquityPoint(start: minute, equity: equity))
            if minuteEquity.count > Self.minutesKept { minuteEquity.removeFirst(minuteEquity.count - Self.minutesKept) }
        }
        if let previous = currentDayEquity, previous.start != day {
            dayEquity.append(previous)
            if dayEquity.count > Self.daysKept { dayEquity.removeFirst(dayEquity.count - Self.daysKept) }
        }
        currentDayEquity = EquityPoint(start: day, equity: equity)
    }

    fileprivate static func roll(_ done: inout [Bar], _ current: inout Bar?, start: Int64, cents: Int64, size: Int64, kept: Int) {
        if current?.start == start {
            current!.add(cents: cents, size: size)
            return
        }
        if let bar = current {
            done.append(bar)
            if done.count > kept { done.removeFirst(done.count - kept) }
        }
        current = Bar(start: start, cents: cents, size: size)
    }

    private func series(_ symbol: Symbol) -> Series? { series.first { $0.symbol == symbol } }

    /// Completed one-minute bars of `symbol`, oldest first.
    func minuteBars(_ symbol: Symbol) -> [Bar] { series(symbol)?.minutes ?? [] }

    /// Daily bars of `symbol`, oldest first, today's (so far) last.
    func dailyBars(_ symbol: Symbol) -> [Bar] {
        guard let series = series(symbol) else { return [] }
        return series.days + (series.currentDay.map { [$0] } ?? [])
    }

    /// Equity at the end of each completed minute (or day, today's so far last), oldest first.
    func equity(daily: Bool) -> [EquityPoint] {
        daily ? dayEquity + (currentDayEquity.map { [$0] } ?? []) : minuteEquity
    }
}

/// The venues a quote draws from (`Market.quote`), kept once for the trade-size draw of each step.
private let quoteVenues = ["V", "Q", "N", "P", "Z", "K"]

extension ExchangeBook {
    /// Records every symbol's step, and the equity when the step is the last of its minute (called once
    /// per market step). A step's trade size is the one `Market.quote` shows for it, drawn the same way.
    mutating func recordHistory(stepMilliseconds: Int64) {
        for (index, ticker) in market.tickers.enumerated() {
            var generator = Mixing.generator(ticker.walk.seed, ticker.walk.steps, 0x5155_4F54)
            _ = Int.random(in: 1...9, using: &generator)
            _ = Int.random(in: 1...9, using: &generator)
            _ = quoteVenues.randomElement(using: &generator)
            _ = quoteVenues.randomElement(using: &generator)
            let size = Int64(100 * Int.random(in: 1...5, using: &generator))
            history.record(index, ticker.listing.symbol, cents: ticker.walk.cents, size: size, at: stepMilliseconds)
        }
        let minute = BookHistory.minuteMilliseconds
        guard (stepMilliseconds + market.intervalMilliseconds).floorDivided(by: minute) != stepMilliseconds.floorDivided(by: minute)
        else { return }
        var equity = cash
        for record in positionRecords.values {
            equity += record.quantity * (market.quote(record.symbol)?.last ?? record.averageEntryPrice)
        }
        history.recordEndOfMinute(equity: equity.rounded(2), at: stepMilliseconds)
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

    /// Equity at the end of each minute or day, oldest first, then a point for the minute (or day) in
    /// progress at today's equity (orders matched since the last step included).
    public func equityHistory(daily: Bool) -> [EquityPoint] {
        var points = history.equity(daily: daily)
        let length = daily ? ExchangeBook.dayMilliseconds : BookHistory.minuteMilliseconds
        let current = market.lastStepTime.epochMilliseconds.floorDivided(by: length) * length
        let live = EquityPoint(start: current, equity: accountFigures.equity)
        if points.last?.start == current {
            points[points.count - 1] = live
        } else {
            points.append(live)
        }
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
