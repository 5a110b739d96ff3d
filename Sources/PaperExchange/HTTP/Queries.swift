import Foundation
import Hummingbird
import Primitives

/// The query of `GET /v2/orders`: `status` (open, closed, all; default open), `limit` (1–500, default
/// 50), `symbols` (comma-separated), `direction` (asc, desc; default desc), `side` (buy, sell), `after`
/// and `until` (RFC 3339 times or dates, on the submission time, exclusive).
struct OrderListQuery {
    struct Filter {
        var status: ExchangeBook.OrderStatusFilter
        var limit: Int
        var symbols: Set<Symbol>?
        var ascending: Bool
        var side: OrderSide? = nil
        var after: Timestamp? = nil
        var until: Timestamp? = nil
    }

    var status: String?
    var limit: String?
    var symbols: String?
    var direction: String?
    var side: String?
    var after: String?
    var until: String?

    init(_ query: Parameters) {
        status = query.get("status")
        limit = query.get("limit")
        symbols = query.get("symbols")
        direction = query.get("direction")
        side = query.get("side")
        after = query.get("after")
        until = query.get("until")
    }

    func filter() throws(ExchangeError) -> Filter {
        var filter = Filter(status: .open, limit: 50, symbols: nil, ascending: false)
        if let status, !status.isEmpty {
            guard let value = ExchangeBook.OrderStatusFilter(rawValue: status) else { throw .invalid("invalid status: \(displayExcerpt(status))") }
            filter.status = value
        }
        if let limit, !limit.isEmpty {
            guard let value = Int(limit), (1...500).contains(value) else { throw .invalid("limit must be 1–500") }
            filter.limit = value
        }
        if let symbols, !symbols.isEmpty {
            var set = Set<Symbol>()
            for text in symbols.split(separator: ",") {
                let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
                guard let symbol = Symbol(trimmed) else { throw .invalid("invalid symbol: \(displayExcerpt(trimmed))") }
                set.insert(symbol)
            }
            filter.symbols = set
        }
        if let direction, !direction.isEmpty {
            guard direction == "asc" || direction == "desc" else { throw .invalid("direction must be asc or desc") }
            filter.ascending = direction == "asc"
        }
        if let side, !side.isEmpty {
            guard let value = OrderSide(rawValue: side) else { throw .invalid("side must be buy or sell") }
            filter.side = value
        }
        if let after, !after.isEmpty {
            guard let time = MarketDataQuery.time(after) else { throw .invalid("invalid after: \(displayExcerpt(after))") }
            filter.after = time
        }
        if let until, !until.isEmpty {
            guard let time = MarketDataQuery.time(until) else { throw .invalid("invalid until: \(displayExcerpt(until))") }
            filter.until = time
        }
        return filter
    }
}

/// The query of Unusual Whales' flow alerts.
enum FlowQuery {
    /// `limit`: 1–200, default 100.
    static func limit(_ text: String?) throws(ExchangeError) -> Int {
        guard let text, !text.isEmpty else { return 100 }
        guard let value = Int(text), (1...200).contains(value) else {
            throw ExchangeError(status: 422, code: 422, message: "limit must be between 1 and 200")
        }
        return value
    }

    /// `newer_than`: unix seconds, unix milliseconds (13 digits or more), an RFC 3339 time or a date
    /// (`2026-03-16`, midnight UTC).
    static func time(_ text: String) -> Timestamp? {
        if let number = Int64(text) {
            return number >= 100_000_000_000 ? .milliseconds(number) : .seconds(number)
        }
        if let time = Timestamp(rfc3339: text) { return time }
        return Timestamp(rfc3339: text + "T00:00:00Z")
    }
}
