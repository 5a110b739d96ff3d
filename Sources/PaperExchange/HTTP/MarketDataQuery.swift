import Foundation
import Hummingbird
import Primitives

/// The queries of the market-data routes (bars, latest trades, snapshots).
enum MarketDataQuery {
    /// A time parameter: RFC 3339 (an offset, or none for UTC) or a date (midnight UTC).
    static func time(_ text: String) -> Timestamp? {
        if let time = Timestamp(rfc3339: text) { return time }
        if let time = Timestamp(rfc3339: text + "Z") { return time }
        return Timestamp(rfc3339: text + "T00:00:00Z")
    }

    /// `symbols`: comma-separated, required; repeated symbols once, in the order given.
    static func symbols(_ query: Parameters) throws(ExchangeError) -> [Symbol] {
        guard let list = query.get("symbols"), !list.isEmpty else { throw .badRequest("missing symbols") }
        var symbols: [Symbol] = []
        for text in list.split(separator: ",") {
            let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
            guard let symbol = Symbol(trimmed) else { throw .badRequest("invalid symbol: \(displayExcerpt(trimmed))") }
            if !symbols.contains(symbol) { symbols.append(symbol) }
        }
        return symbols
    }

    /// 422 with the data API's code for a query value it cannot use.
    static func invalid(_ message: String) -> ExchangeError { ExchangeError(status: 422, code: 42_210_000, message: message) }

    /// The bars query: `timeframe` (required), `start` (default the start of today, UTC) and `end`
    /// (default now), both inclusive; `limit` (1–10000, default 1000) bars a page over all symbols;
    /// `page_token` from the previous page; `sort` (asc, desc). Bars are listed by symbol, then time.
    struct Bars {
        struct Page {
            var bars: [(symbol: Symbol, bars: [Bar])]
            var nextToken: String?
        }

        var timeframe: BarTimeframe
        var start: Int64
        var end: Int64
        var limit: Int
        var token: (symbol: String, start: Int64)?
        var descending: Bool

        init(_ query: Parameters, now: Timestamp) throws(ExchangeError) {
            guard let text = query.get("timeframe"), !text.isEmpty else { throw MarketDataQuery.invalid("timeframe is required") }
            guard let timeframe = BarTimeframe(text) else { throw MarketDataQuery.invalid("invalid timeframe: \(displayExcerpt(text))") }
            self.timeframe = timeframe
            let nowMilliseconds = now.epochMilliseconds
            start = ExchangeBook.session(of: nowMilliseconds) * 86_400_000
            end = nowMilliseconds
            if let text = query.get("start"), !text.isEmpty {
                guard let time = MarketDataQuery.time(text) else { throw MarketDataQuery.invalid("invalid start: \(displayExcerpt(text))") }
                start = time.epochMilliseconds
            }
            if let text = query.get("end"), !text.isEmpty {
                guard let time = MarketDataQuery.time(text) else { throw MarketDataQuery.invalid("invalid end: \(displayExcerpt(text))") }
                end = time.epochMilliseconds
            }
            guard start <= end else { throw MarketDataQuery.invalid("end should not be before start") }
            limit = 1_000
            if let text = query.get("limit"), !text.isEmpty {
                guard let value = Int(text), (1...10_000).contains(value) else { throw MarketDataQuery.invalid("invalid limit: must be 1–10000") }
                limit = value
            }
            if let text = query.get("page_token"), !text.isEmpty {
                guard let token = Self.decodeToken(text) else { throw MarketDataQuery.invalid("invalid page_token") }
                self.token = token
            }
            switch query.get("sort") {
            case nil, "", "asc": descending = false
            case "desc": descending = true
            case let other?: throw MarketDataQuery.invalid("invalid sort: \(displayExcerpt(other))")
            }
        }

        /// One page of bars of `symbols`, and the token of the next page (`nil` on the last).
        func page(_ book: ExchangeBook, symbols: [Symbol]) throws(ExchangeError) -> Page {
            var flat: [(symbol: Symbol, bar: Bar)] = []
            for symbol in symbols.sorted(by: { $0.rawValue < $1.rawValue }) {
                let bars = book.bars(symbol, timeframe: timeframe).filter { $0.start >= start && $0.start <= end }
                flat += (descending ? bars.reversed() : bars).map { (symbol, $0) }
            }
            var begin = 0
            if let token {
                begin = flat.firstIndex { entry in
                    entry.symbol.rawValue > token.symbol
                        || (entry.symbol.rawValue == token.symbol && (descending ? entry.bar.start <= token.start : entry.bar.start >= token.start))
                } ?? flat.count
            }
            let stop = min(flat.count, begin + limit)
            var page = Page(bars: [], nextToken: stop < flat.count ? Self.encodeToken(flat[stop].symbol.rawValue, flat[stop].bar.start) : nil)
            for entry in flat[begin..<stop] {
                if page.bars.last?.symbol == entry.symbol {
                    page.bars[page.bars.count - 1].bars.append(entry.bar)
                } else {
                    page.bars.append((entry.symbol, [entry.bar]))
                }
            }
            return page
        }

        static func encodeToken(_ symbol: String, _ start: Int64) -> String {
            Data("\(symbol)|\(start)".utf8).base64EncodedString()
        }

        static func decodeToken(_ text: String) -> (symbol: String, start: Int64)? {
            guard let data = Data(base64Encoded: text), data.count <= 64 else { return nil }
            let parts = String(decoding: data, as: UTF8.self).split(separator: "|")
            guard parts.count == 2, Symbol(String(parts[0])) != nil, let start = Int64(parts[1]) else { return nil }
            return (String(parts[0]), start)
        }
    }
}

/// The query of `GET /v2/account/portfolio/history`: `period` (`1D`, `2W`, `1M`, `1A`…; default 1M),
/// `timeframe` (`1Min`, `5Min`, `15Min`, `1H`, `1D`; by default 1Min under 7 days, 15Min under 30,
/// otherwise 1D), `start` and `end` (default now). Each point is the equity at the end of its interval.
struct PortfolioHistoryQuery {
    var start: Int64
    var end: Int64
    var timeframe: BarTimeframe
    var timeframeName: String

    init(_ query: Parameters, now: Timestamp) throws(ExchangeError) {
        end = now.epochMilliseconds
        if let text = query.get("end") ?? query.get("date_end"), !text.isEmpty {
            guard let time = MarketDataQuery.time(text) else { throw .invalid("invalid end: \(displayExcerpt(text))") }
            end = time.epochMilliseconds
        }
        var days: Int64 = 30
        if let text = query.get("period"), !text.isEmpty {
            guard let value = Self.days(text) else { throw .invalid("invalid period: \(displayExcerpt(text))") }
            days = value
        }
        start = end - days * 86_400_000
        if let text = query.get("start"), !text.isEmpty {
            guard let time = MarketDataQuery.time(text) else { throw .invalid("invalid start: \(displayExcerpt(text))") }
            start = time.epochMilliseconds
        }
        let span = end - start
        switch query.get("timeframe") {
        case nil, "":
            (timeframe, timeframeName) =
                span < 7 * 86_400_000 ? (.minutes(1), "1Min") : span < 30 * 86_400_000 ? (.minutes(15), "15Min") : (.day, "1D")
        case "1Min": (timeframe, timeframeName) = (.minutes(1), "1Min")
        case "5Min": (timeframe, timeframeName) = (.minutes(5), "5Min")
        case "15Min": (timeframe, timeframeName) = (.minutes(15), "15Min")
        case "1H": (timeframe, timeframeName) = (.hours(1), "1H")
        case "1D": (timeframe, timeframeName) = (.day, "1D")
        case let other?: throw .invalid("invalid timeframe: \(displayExcerpt(other)) (1Min, 5Min, 15Min, 1H or 1D)")
        }
    }

    /// `N` followed by D, W, M or A (case-insensitive), in days.
    static func days(_ text: String) -> Int64? {
        guard let unit = text.last, let count = Int64(text.dropLast()), (1...10_000).contains(count) else { return nil }
        switch unit.uppercased() {
        case "D": return count
        case "W": return count * 7
        case "M": return count * 30
        case "A", "Y": return count * 365
        default: return nil
        }
    }

    /// The points in `[start, end]`, one per interval: the last equity seen in it, stamped with the
    /// interval's start.
    func points(_ history: [EquityPoint]) -> [EquityPoint] {
        let length = timeframe.milliseconds
        var result: [EquityPoint] = []
        for point in history where point.start <= end {
            let bucket = point.start.floorDivided(by: length) * length
            guard bucket >= start.floorDivided(by: length) * length else { continue }
            if result.last?.start == bucket {
                result[result.count - 1].equity = point.equity
            } else {
                result.append(EquityPoint(start: bucket, equity: point.equity))
            }
        }
        return result
    }
}
