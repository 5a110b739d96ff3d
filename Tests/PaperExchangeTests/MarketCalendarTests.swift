import PaperExchange
import Primitives
import Testing

/// NYSE's regular session as data: New York time with its summer-time switch, weekends, holidays and
/// early closes of 2025–2027.
struct MarketCalendarTests {
    private static func day(_ text: String) throws -> Int64 { try #require(MarketCalendar.day(text)) }

    private static func time(_ text: String) throws -> Timestamp { try #require(Timestamp(rfc3339: text)) }

    /// A summer day opens 13:30 UTC and closes 20:00 UTC; a winter day 14:30 and 21:00; the switch
    /// follows the second Sunday of March and the first Sunday of November.
    @Test(arguments: [
        ("2026-01-05", "2026-01-05T14:30:00Z", "2026-01-05T21:00:00Z"),
        ("2026-03-06", "2026-03-06T14:30:00Z", "2026-03-06T21:00:00Z"),
        ("2026-03-09", "2026-03-09T13:30:00Z", "2026-03-09T20:00:00Z"),
        ("2026-10-30", "2026-10-30T13:30:00Z", "2026-10-30T20:00:00Z"),
        ("2026-11-02", "2026-11-02T14:30:00Z", "2026-11-02T21:00:00Z"),
        ("2025-03-10", "2025-03-10T13:30:00Z", "2025-03-10T20:00:00Z"),
        ("2027-03-12", "2027-03-12T14:30:00Z", "2027-03-12T21:00:00Z"),
        ("2027-03-15", "2027-03-15T13:30:00Z", "2027-03-15T20:00:00Z"),
    ])
    func sessionTimesFollowNewYorkTime(date: String, open: String, close: String) throws {
        let session = try #require(MarketCalendar.session(onDay: try Self.day(date)))
        #expect(session.open == (try Self.time(open)))
        #expect(session.close == (try Self.time(close)))
        #expect(session.date == date)
    }

    /// Weekends and the exchange's holidays have no session; early closes end at 13:00 New York.
    @Test func holidaysWeekendsAndEarlyCloses() throws {
        for closed in ["2025-01-09", "2025-04-18", "2026-04-03", "2026-07-03", "2027-06-18", "2027-07-05", "2027-12-24", "2026-03-14", "2026-03-15"] {
            #expect(MarketCalendar.session(onDay: try Self.day(closed)) == nil, "\(closed)")
        }
        let early = try #require(MarketCalendar.session(onDay: try Self.day("2026-11-27")))
        #expect(early.isEarlyClose)
        #expect(early.close == (try Self.time("2026-11-27T18:00:00Z")))
        let julyThird = try #require(MarketCalendar.session(onDay: try Self.day("2025-07-03")))
        #expect(julyThird.close == (try Self.time("2025-07-03T17:00:00Z")))
    }

    /// 250 sessions in 2025 (the 9 January closure included), 251 in 2026 and in 2027.
    @Test func sessionsAYear() throws {
        for (year, count) in [("2025", 250), ("2026", 251), ("2027", 251)] {
            let sessions = MarketCalendar.sessions(from: try Self.day("\(year)-01-01"), through: try Self.day("\(year)-12-31"))
            #expect(sessions.count == count, "\(year)")
        }
    }

    /// Open and close, and the next open across a holiday and a weekend.
    @Test func openNowAndNextOpen() throws {
        #expect(MarketCalendar.isOpen(at: try Self.time("2026-03-16T13:30:00Z")))
        #expect(MarketCalendar.isOpen(at: try Self.time("2026-03-16T19:59:59Z")))
        #expect(!MarketCalendar.isOpen(at: try Self.time("2026-03-16T20:00:00Z")))
        #expect(!MarketCalendar.isOpen(at: try Self.time("2026-03-16T13:29:59Z")))
        let thursdayEvening = try Self.time("2026-04-02T22:00:00Z")
        #expect(MarketCalendar.nextOpen(after: thursdayEvening) == (try Self.time("2026-04-06T13:30:00Z")))
        #expect(MarketCalendar.currentOrNextSession(after: thursdayEvening).close == (try Self.time("2026-04-06T20:00:00Z")))
        let duringSession = try Self.time("2026-04-02T15:00:00Z")
        #expect(MarketCalendar.currentOrNextSession(after: duringSession).close == (try Self.time("2026-04-02T20:00:00Z")))
        #expect(MarketCalendar.nextOpen(after: duringSession) == (try Self.time("2026-04-06T13:30:00Z")))
    }

    /// Dates read and written as `YYYY-MM-DD`; impossible ones refused.
    @Test func dates() throws {
        #expect(MarketCalendar.dateText(0) == "1970-01-01")
        #expect(MarketCalendar.day("2028-02-29").map(MarketCalendar.dateText) == "2028-02-29")
        #expect(MarketCalendar.day("2027-02-29") == nil)
        #expect(MarketCalendar.day("2026-13-01") == nil)
        #expect(MarketCalendar.day("26-01-01") == nil)
    }
}
