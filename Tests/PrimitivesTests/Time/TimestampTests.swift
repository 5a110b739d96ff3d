import Foundation
@testable import Primitives
import TestSupport
import Testing

struct TimestampTests {
    /// RFC 3339 with 0 to 9 fractional digits and `Z` or an offset parses to the right instant.
    @Test(arguments: [
        ("2026-11-29T15:08:37Z", Int64(1_795_964_917), Int64(0)),
        ("2026-11-29T15:08:37.5Z", 1_795_964_917, 500_000_000),
        ("2026-11-29T15:08:37.123456789Z", 1_795_964_917, 123_456_789),
        ("2026-11-29T11:08:37.123456789-04:00", 1_795_964_917, 123_456_789),
        ("2026-11-29T20:38:37+05:30", 1_795_964_917, 0),
        ("1970-01-01T00:00:00Z", 0, 0),
        ("1969-12-31T23:59:59.5Z", -1, 500_000_000),
    ])
    func parse(text: String, seconds: Int64, nanoseconds: Int64) throws {
        let timestamp = try #require(Timestamp(rfc3339: text))
        #expect(timestamp.epochComponents.seconds == seconds)
        #expect(timestamp.epochComponents.nanoseconds == nanoseconds)
    }

    /// Malformed timestamps are refused rather than guessed at.
    @Test(arguments: [
        "", "2026-11-29", "2026-11-29T15:08:37", "2026-13-01T00:00:00Z", "2026-11-29T25:00:00Z",
        "2026-11-29T15:08:37.Z", "2026-11-29T15:08:37.1234567891Z", "2026-11-29T15:08:37+0500", "2026-11-29T15:08:37Zjunk",
    ])
    func refuse(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    /// Formatting then parsing gives back the instant (to the millisecond), and agrees with Foundation.
    @Test func roundTrip() throws {
        let timestamp = Timestamp(sinceEpoch: .seconds(1_795_964_917) + .milliseconds(42))
        #expect(timestamp.rfc3339 == "2026-11-29T15:08:37.042Z")
        #expect(timestamp.compactUTC == "20261129T150837Z")
        #expect(try #require(Timestamp(rfc3339: timestamp.rfc3339)) == timestamp)
        let formatter = ISO8601DateFormatter()
        #expect(formatter.string(from: timestamp.date) == "2026-11-29T15:08:37Z")
    }

    /// Dates across leap years and centuries format like Foundation does.
    @Test func calendarAgreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let seconds = Int64.random(in: -2_000_000_000...4_000_000_000, using: &generator)
            let timestamp = Timestamp.seconds(seconds)
            #expect(formatter.string(from: timestamp.date) == String(timestamp.rfc3339.prefix(19)) + "Z")
        }
    }

    /// The manual clock wakes a sleeper only when time is advanced past its deadline.
    @Test func manualClockWakesSleepers() async throws {
        let clock = ManualClock()
        let start = clock.now
        let task = Task { try await clock.sleep(until: start.advanced(by: .seconds(10)), tolerance: nil) }
        while clock.sleeperCount == 0 { await Task.yield() }
        clock.advance(by: .seconds(9))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        try await task.value
        #expect(clock.sleeperCount == 0)
        #expect(clock.now == start.advanced(by: .seconds(10)))
    }

    /// Cancelling a sleeper on the manual clock ends its sleep with CancellationError.
    @Test func manualClockCancellation() async {
        let clock = ManualClock()
        let task = Task { try await clock.sleep(for: .seconds(60)) }
        while clock.sleeperCount == 0 { await Task.yield() }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleeperCount == 0)
    }
}
