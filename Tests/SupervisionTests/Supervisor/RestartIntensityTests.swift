import Primitives
import Supervision
import Testing

struct RestartIntensityTests {
    static let start = Timestamp.seconds(1_700_000_000)

    /// Backoff doubles from 1 s and stops at 60 s.
    @Test func backoffDoublesToSixtySeconds() {
        let intensity = RestartIntensity(maxRestarts: 100, window: .seconds(600))
        let delays = (1...9).map { intensity.backoff(forFailure: $0) }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
    }

    /// N failures within the window give up at the N-th; each before it restarts with the next backoff.
    @Test func givesUpAtTheLimitWithinTheWindow() {
        var intensity = RestartIntensity(maxRestarts: 5, window: .seconds(600))
        var actions: [RestartIntensity.Action] = []
        for minute in 0..<5 { actions.append(intensity.recordFailure(at: Self.start.advanced(by: .seconds(minute * 60)))) }
        #expect(actions == [.restart(after: .seconds(1)), .restart(after: .seconds(2)), .restart(after: .seconds(4)), .restart(after: .seconds(8)), .giveUp(failures: 5)])
    }

    /// Failures older than the window no longer count: a service failing now and then is restarted forever.
    @Test func oldFailuresSlideOut() {
        var intensity = RestartIntensity(maxRestarts: 3, window: .seconds(600))
        for index in 0..<20 {
            let action = intensity.recordFailure(at: Self.start.advanced(by: .seconds(index * 301)))
            #expect(action == .restart(after: index == 0 ? .seconds(1) : .seconds(2)), "failure \(index)")
        }
        intensity.reset()
        #expect(intensity.failures.isEmpty)
    }

    /// A given-up service cools off 10 min, then 20, 40, … up to the cap; each retry has the full count;
    /// once a retry has run a whole window without failing, the cool-off starts from 10 min again.
    @Test func coolOffDoublesAndStartsAfresh() {
        var intensity = RestartIntensity(maxRestarts: 2, window: .seconds(600))
        intensity.maximumCoolOff = .seconds(3600)
        var now = Self.start
        var coolOffs: [Duration] = []
        for _ in 0..<5 {
            #expect(intensity.recordFailure(at: now) == .restart(after: .seconds(1)))
            now = now.advanced(by: .seconds(1))
            #expect(intensity.recordFailure(at: now) == .giveUp(failures: 2))
            let wait = intensity.scheduleRetry(givenUpAt: now)
            coolOffs.append(wait)
            now = now.advanced(by: wait)
        }
        #expect(coolOffs == [600, 1200, 2400, 3600, 3600].map { Duration.seconds($0) })
        // The retry runs a whole window before it fails: given up again, it cools off 10 min.
        now = now.advanced(by: .seconds(600))
        _ = intensity.recordFailure(at: now)
        #expect(intensity.recordFailure(at: now.advanced(by: .seconds(1))) == .giveUp(failures: 2))
        #expect(intensity.scheduleRetry(givenUpAt: now) == .seconds(600))
        intensity.reset()
        #expect(intensity.givenUp == 0)
    }
}
