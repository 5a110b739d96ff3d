import Persistence
import TestSupport
import Testing
import Primitives

struct RetryBackoffTests {
    /// Delays double from the initial one and stop at the maximum.
    @Test func delaysDoubleUpToTheCap() {
        let backoff = RetryBackoff(initialDelay: .seconds(1), maximumDelay: .seconds(10))
        #expect((1...6).map { backoff.delay(afterFailures: $0) } == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
    }

    /// Driven by a manual clock: idle, due on request, waiting after a failure, due once the wait passes, idle after success.
    @Test func actionsFollowTheClock() {
        let clock = ManualClock()
        var backoff = RetryBackoff(initialDelay: .seconds(2), maximumDelay: .seconds(60))
        #expect(backoff.action(at: clock.now) == .idle)
        backoff.request()
        #expect(backoff.action(at: clock.now) == .attempt)
        let first = backoff.recordFailure(at: clock.now)
        #expect(first == clock.now.advanced(by: .seconds(2)))
        #expect(backoff.action(at: clock.now) == .wait(until: first))
        clock.advance(by: .milliseconds(1999))
        #expect(backoff.action(at: clock.now) == .wait(until: first))
        clock.advance(by: .milliseconds(1))
        #expect(backoff.action(at: clock.now) == .attempt)
        let second = backoff.recordFailure(at: clock.now)
        #expect(second == clock.now.advanced(by: .seconds(4)))
        #expect(backoff.consecutiveFailures == 2)
        backoff.request()
        #expect(backoff.action(at: clock.now) == .wait(until: second), "a request does not cut a backoff short")
        clock.advance(by: .seconds(4))
        #expect(backoff.action(at: clock.now) == .attempt)
        backoff.recordSuccess()
        #expect(backoff.action(at: clock.now) == .idle)
        #expect(backoff.consecutiveFailures == 0)
    }
}
