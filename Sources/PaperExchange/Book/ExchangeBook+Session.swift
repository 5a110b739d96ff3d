import Primitives

extension ExchangeBook {
    /// Whether orders match at `milliseconds`: always around the clock, in the session for `nyse`.
    func isTrading(at milliseconds: Int64) -> Bool {
        configuration.session == .always || MarketCalendar.isOpen(at: .milliseconds(milliseconds))
    }

    /// Expires the open day orders whose NYSE session has closed by `milliseconds`.
    mutating func expireSessionOrders(at milliseconds: Int64) {
        for index in orders.indices where orders[index].isOpen {
            guard let close = orders[index].sessionClose, close.epochMilliseconds <= milliseconds else { continue }
            orders[index].status = .expired
            orders[index].expiredAt = close
            orders[index].updatedAt = close
            revision += 1
        }
    }
}

extension AlpacaJSON {
    /// `GET /v2/clock` in the book's session: around the clock (see `clock(now:)`), or NYSE's.
    public static func clock(now: Timestamp, session: TradingSession) -> JSONValue {
        guard session == .nyse else { return clock(now: now) }
        return .object([
            "timestamp": .timestamp(now),
            "is_open": .bool(MarketCalendar.isOpen(at: now)),
            "next_open": .timestamp(MarketCalendar.nextOpen(after: now)),
            "next_close": .timestamp(MarketCalendar.currentOrNextSession(after: now).close),
        ])
    }

    /// One day of `GET /v2/calendar`: New York times, `HH:MM` (`session_open`/`session_close`, the extended
    /// hours, `HHMM`), and the settlement date (T+1: the next session).
    public static func calendarDay(_ session: MarketCalendar.Session) -> JSONValue {
        var settlement = session.day + 1
        while MarketCalendar.session(onDay: settlement) == nil { settlement += 1 }
        return .object([
            "date": .string(session.date),
            "open": .string("09:30"),
            "close": .string(session.isEarlyClose ? "13:00" : "16:00"),
            "session_open": .string("0400"),
            "session_close": .string(session.isEarlyClose ? "1700" : "2000"),
            "settlement_date": .string(MarketCalendar.dateText(settlement)),
        ])
    }
}
