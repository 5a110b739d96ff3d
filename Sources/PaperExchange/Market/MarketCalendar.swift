import Primitives

/// When the paper market trades: around the clock (`always`, one session per UTC day), or NYSE's regular
/// session (`nyse`).
public enum TradingSession: String, Sendable, Hashable, CaseIterable {
    case always
    case nyse
}

/// NYSE's regular session: 09:30–16:00 America/New_York on weekdays, except the exchange's holidays, with
/// 13:00 early closes, for 2025–2027 (kept as data below; outside those years only weekends are known).
/// New York time is UTC−5, or UTC−4 from the second Sunday of March to the first Sunday of November; the
/// change happens at 02:00 local, far from the session, so a date's offset decides its session.
public enum MarketCalendar {
    /// A day the market opens.
    public struct Session: Sendable, Hashable {
        /// Days since 1970-01-01.
        public var day: Int64
        public var open: Timestamp
        public var close: Timestamp
        public var isEarlyClose: Bool

        public var date: String { MarketCalendar.dateText(day) }
    }

    /// Full-day closures, `YYYY-MM-DD`.
    static let holidays: Set<String> = [
        "2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19", "2025-07-04",
        "2025-09-01", "2025-11-27", "2025-12-25",
        "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07",
        "2026-11-26", "2026-12-25",
        "2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06",
        "2027-11-25", "2027-12-24",
    ]

    /// Days the session ends at 13:00.
    static let earlyCloses: Set<String> = ["2025-07-03", "2025-11-28", "2025-12-24", "2026-11-27", "2026-12-24", "2027-11-26"]

    /// The years whose holidays are known.
    public static let knownYears: ClosedRange<Int64> = 2025...2027

    static let dayMilliseconds: Int64 = 86_400_000

    /// The session on `day` (days since the epoch), or `nil` on a weekend or holiday.
    public static func session(onDay day: Int64) -> Session? {
        let weekday = (day + 4).floorModulo(7)  // 0 Sunday … 6 Saturday; 1970-01-01 was a Thursday.
        guard weekday != 0 && weekday != 6 else { return nil }
        let text = dateText(day)
        guard !holidays.contains(text) else { return nil }
        let offsetHours: Int64 = isDaylightSaving(day) ? 4 : 5
        let midnight = day * dayMilliseconds + offsetHours * 3_600_000
        let early = earlyCloses.contains(text)
        return Session(
            day: day, open: .milliseconds(midnight + (9 * 60 + 30) * 60_000),
            close: .milliseconds(midnight + (early ? 13 : 16) * 3_600_000), isEarlyClose: early)
    }

    /// The session in progress at `time`, if any.
    public static func session(at time: Timestamp) -> Session? {
        let milliseconds = time.epochMilliseconds
        guard let session = session(onDay: milliseconds.floorDivided(by: dayMilliseconds)) else { return nil }
        return session.open.epochMilliseconds <= milliseconds && milliseconds < session.close.epochMilliseconds ? session : nil
    }

    public static func isOpen(at time: Timestamp) -> Bool { session(at: time) != nil }

    /// The first session that has not closed by `time` (the one in progress, or the next).
    public static func currentOrNextSession(after time: Timestamp) -> Session {
        let milliseconds = time.epochMilliseconds
        var day = milliseconds.floorDivided(by: dayMilliseconds)
        while true {
            if let session = session(onDay: day), milliseconds < session.close.epochMilliseconds { return session }
            day += 1
        }
    }

    /// The next open after `time` (strictly later when the market is open now).
    public static func nextOpen(after time: Timestamp) -> Timestamp {
        let milliseconds = time.epochMilliseconds
        var day = milliseconds.floorDivided(by: dayMilliseconds)
        while true {
            if let session = session(onDay: day), milliseconds < session.open.epochMilliseconds { return session.open }
            day += 1
        }
    }

    /// Sessions on the days `from`…`through` (days since the epoch), oldest first.
    public static func sessions(from: Int64, through: Int64) -> [Session] {
        guard from <= through else { return [] }
        return (from...through).compactMap { session(onDay: $0) }
    }

    /// Whether New York keeps summer time on `day`: from the second Sunday of March to the first Sunday of
    /// November (the rule since 2007).
    static func isDaylightSaving(_ day: Int64) -> Bool {
        let (year, _, _) = civil(day)
        let start = nthSunday(2, month: 3, year: year)
        let end = nthSunday(1, month: 11, year: year)
        return day >= start && day < end
    }

    /// Days since the epoch of the `n`th Sunday of `month`.
    static func nthSunday(_ n: Int64, month: Int64, year: Int64) -> Int64 {
        let first = days(year: year, month: month, day: 1)
        let weekday = (first + 4).floorModulo(7)
        return first + (7 - weekday) % 7 + (n - 1) * 7
    }

    /// `YYYY-MM-DD` of a day.
    public static func dateText(_ day: Int64) -> String {
        let (year, month, dayOfMonth) = civil(day)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))"
    }

    /// The day of `YYYY-MM-DD`, if it is one.
    public static func day(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let result = days(year: year, month: month, day: day)
        return civil(result) == (year, month, day) ? result : nil
    }

    /// Days since the epoch of a civil date (Howard Hinnant's `days_from_civil`).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day since the epoch (`civil_from_days`).
    static func civil(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
