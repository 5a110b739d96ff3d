import Primitives
import Testing

/// A service's lifecycle: a second run() while one goes on is refused; a run-once service refuses any
/// later one; a restartable one runs again after the last ended.
struct RunStateTests {
    /// While a run goes on, a second is refused with `alreadyRunning`, naming the service.
    @Test(arguments: [RunState.Policy.once, .restartable])
    func secondRunWhileRunningIsRefused(policy: RunState.Policy) async throws {
        let state = RunState("the test service", policy)
        try await state.running {
            #expect(state.isRunning)
            await #expect(throws: RunRefused(service: "the test service", reason: .alreadyRunning)) {
                try await state.running {}
            }
        }
        #expect(!state.isRunning)
    }

    /// After its run ended, a run-once service refuses another; a restartable one runs it.
    @Test func onceRefusesAfterTheEnd() async throws {
        let once = RunState("the core host", .once)
        try await once.running {}
        let error = await #expect(throws: RunRefused.self) { try await once.running {} }
        #expect(error?.reason == .alreadyRan)
        #expect(error?.errorCode == "service.run_refused")
        #expect(error?.operatorText == "the core host has run and stopped: it runs once in a process, a second run() is refused")
        let restartable = RunState("the flow feed", .restartable)
        try await restartable.running {}
        let ran = try await restartable.running { true }
        #expect(ran)
    }

    /// A run that throws still ends: the next one of a restartable service is not refused.
    @Test func throwingRunEnds() async throws {
        struct Failed: Error {}
        let state = RunState("the heartbeat keeper", .restartable)
        await #expect(throws: Failed.self) { try await state.running { throw Failed() } }
        #expect(!state.isRunning)
        try await state.running {}
    }
}
