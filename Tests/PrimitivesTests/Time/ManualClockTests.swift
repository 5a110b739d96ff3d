import Primitives
import TestSupport
import Testing

/// The manual clock's waits: suspended on continuations, bounded by a deadline, ended by cancellation.
struct ManualClockTests {
    /// `waitForSleepers(2)` returns true once two tasks started elsewhere sleep on the clock.
    @Test func waitReturnsWhenSleepersRegister() async throws {
        let clock = ManualClock()
        let waiter = Task { await clock.waitForSleepers(2, deadline: .seconds(30)) }
        let sleepers = (0..<2).map { _ in Task { try await clock.sleep(until: clock.now.advanced(by: .seconds(5))) } }
        #expect(await waiter.value)
        #expect(clock.sleeperCount == 2)
        clock.advance(by: .seconds(5))
        for sleeper in sleepers { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    /// With nobody sleeping, `waitForSleepers` reports false at its deadline.
    @Test func waitReportsFalseAtDeadline() async {
        let clock = ManualClock()
        #expect(await clock.waitForSleepers(1, deadline: .milliseconds(200)) == false)
    }

    /// A cancelled `waitForSleepers` returns false at once, not at its (far) deadline: nothing spins
    /// until then.
    @Test func cancelledWaitReturnsFalse() async {
        let clock = ManualClock()
        let answer = LockedBox<Bool?>(nil)
        let waiter = Task {
            let result = await clock.waitForSleepers(1, deadline: .seconds(600))
            answer.withLock { $0 = result }
        }
        waiter.cancel()
        // Checked every 10 ms for at most 10 s (not awaited: a wait that ignores cancellation would hold the test).
        let giveUp = ContinuousClock.now.advanced(by: .seconds(10))
        while answer.withLock({ $0 }) == nil, ContinuousClock.now < giveUp {
            try? await Task.sleep(for: .milliseconds(10))
        }
        #expect(answer.withLock { $0 } == false, "the cancelled wait was still going after 10 s")
    }

    /// `drive` moves the clock to each sleeper's deadline until the body ends.
    @Test func driveAdvancesToEachDeadline() async throws {
        let clock = ManualClock()
        let start = clock.now
        let slept = try await drive(clock, deadline: .seconds(30)) {
            for _ in 0..<3 { try await clock.sleep(until: clock.now.advanced(by: .seconds(60))) }
            return start.duration(to: clock.now)
        }
        #expect(slept == .seconds(180))
    }
}
