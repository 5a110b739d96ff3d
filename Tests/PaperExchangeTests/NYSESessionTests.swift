import Foundation
import PaperExchange
import Primitives
import TestSupport
import Testing

/// An exchange in NYSE's session (`--session nyse`): the clock, the calendar route, market orders sent
/// while closed waiting for the open, and day orders expiring at the close.
struct NYSESessionTests {
    /// Saturday 14 March 2026, 15:00 UTC.
    private static let saturday = Timestamp(rfc3339: "2026-03-14T15:00:00Z")!

    private static func options() -> ExchangeServer.Options {
        var options = Harness.options()
        options.book.session = .nyse
        return options
    }

    /// On a Saturday the clock is closed, opening Monday at 09:30 New York (13:30 UTC, summer time).
    @Test func clockFollowsTheSession() async throws {
        let clock = ManualClock(now: Self.saturday)
        try await Harness.withExchange(Self.options(), clock: clock) { _, client in
            let closed = try await client.json("/v2/clock")
            #expect(closed["is_open"] == .bool(false))
            #expect(closed["next_open"] == .string("2026-03-16T13:30:00.000Z"))
            #expect(closed["next_close"] == .string("2026-03-16T20:00:00.000Z"))
            try Shape.expect(closed, matches: "clock.json")
            clock.advance(by: .seconds(47 * 3_600))  // Monday 14:00 UTC
            let open = try await client.json("/v2/clock")
            #expect(open["is_open"] == .bool(true))
            #expect(open["next_close"] == .string("2026-03-16T20:00:00.000Z"))
            #expect(open["next_open"] == .string("2026-03-17T13:30:00.000Z"))
        }
    }

    /// A market order sent on Saturday stays `accepted` until Monday's open, then fills; its day expiry is
    /// Monday's close.
    @Test func marketOrderWaitsForTheOpen() async throws {
        let clock = ManualClock(now: Self.saturday)
        try await Harness.withExchange(Self.options(), clock: clock) { _, client in
            let order = try await client.order(#"{"symbol":"AAPL","qty":"1","side":"buy","type":"market","time_in_force":"day"}"#)
            let id = try order.string("id")
            #expect(order["expires_at"] == .string("2026-03-16T20:00:00.000Z"))
            clock.advance(by: .seconds(3_600))
            #expect(try await client.json("/v2/orders/\(id)").string("status") == "accepted")
            #expect(try await client.json("/v2/positions").arrayValue?.isEmpty == true)
            clock.advance(by: .seconds(45 * 3_600 + 31 * 60))  // Monday 13:31 UTC
            let filled = try await client.json("/v2/orders/\(id)")
            #expect(try filled.string("status") == "filled")
            #expect(try filled.string("filled_at") >= "2026-03-16T13:30:00.000Z")
        }
    }

    /// A resting day limit placed during the session expires at its close, stamped with the close.
    @Test func dayOrderExpiresAtTheClose() async throws {
        let clock = ManualClock(now: Timestamp(rfc3339: "2026-03-16T19:00:00Z")!)
        try await Harness.withExchange(Self.options(), clock: clock) { _, client in
            let bid = try #require(try await client.json("/v2/stocks/MSFT/quotes/latest")["quote"]?["bp"]?.decimalValue)
            let limit = DecimalText.format((bid * Decimal(string: "0.8")!).rounded(to: 2))
            let order = try await client.order(
                #"{"symbol":"MSFT","qty":"1","side":"buy","type":"limit","time_in_force":"day","limit_price":"\#(limit)"}"#)
            let gtc = try await client.order(
                #"{"symbol":"MSFT","qty":"1","side":"buy","type":"limit","time_in_force":"gtc","limit_price":"\#(limit)"}"#)
            #expect(try await client.json("/v2/orders/\(try order.string("id"))").string("status") == "new")
            clock.advance(by: .seconds(3_601))
            let expired = try await client.json("/v2/orders/\(try order.string("id"))")
            #expect(try expired.string("status") == "expired")
            #expect(expired["expired_at"] == .string("2026-03-16T20:00:00.000Z"))
            #expect(try await client.json("/v2/orders/\(try gtc.string("id"))").string("status") == "new")
        }
    }

    /// `/v2/calendar` lists the sessions between two dates in Alpaca's shape, with early closes and the
    /// next session as the settlement date; a bad date is 422.
    @Test func calendarRoute() async throws {
        try await Harness.withExchange(Self.options()) { _, client in
            let days = try #require(try await client.json("/v2/calendar?start=2026-11-25&end=2026-11-30").arrayValue)
            #expect(days.compactMap { $0["date"]?.stringValue } == ["2026-11-25", "2026-11-27", "2026-11-30"])
            #expect(days.first?.objectValue?.keys == ["date", "open", "close", "session_open", "session_close", "settlement_date"])
            #expect(days[0]["open"] == .string("09:30"))
            #expect(days[0]["close"] == .string("16:00"))
            #expect(days[0]["settlement_date"] == .string("2026-11-27"))
            #expect(days[1]["close"] == .string("13:00"))
            #expect(days[1]["settlement_date"] == .string("2026-11-30"))
            #expect(try await client.json("/v2/calendar").arrayValue?.count == 752)
            #expect(try await client.get("/v2/calendar?start=tomorrow").status == 422)
        }
    }

    /// In NYSE's hours a session ends at its close, not at UTC midnight: a position's `lastday_price` rolls
    /// once, at 16:00 New York (20:00 UTC in summer time), and stays put through UTC midnight.
    @Test func lastdayPriceRollsAtTheClose() async throws {
        let clock = ManualClock(now: Timestamp(rfc3339: "2026-03-16T19:00:00Z")!)  // Monday, 15:00 New York
        try await Harness.withExchange(Self.options(), clock: clock) { _, client in
            _ = try await client.order(#"{"symbol":"AAPL","qty":"1","side":"buy","type":"market","time_in_force":"day"}"#)
            func lastday() async throws -> String { try await client.json("/v2/positions/AAPL").string("lastday_price") }
            let opening = try await lastday()
            clock.advance(by: .seconds(59 * 60))  // 19:59 UTC, still in the session
            #expect(try await lastday() == opening)
            clock.advance(by: .seconds(2 * 60))  // 20:01 UTC, just after the close
            let closed = try await lastday()
            #expect(closed != opening, "the session closed at 20:00 UTC: lastday_price is its closing price")
            for _ in 0..<5 { clock.advance(by: .seconds(3_000)) }  // 00:11 UTC on Tuesday, across UTC midnight
            #expect(try await lastday() == closed, "UTC midnight is not a session's end")
        }
    }
}
