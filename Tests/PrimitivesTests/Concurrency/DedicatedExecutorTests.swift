import Dispatch
import Primitives
import Synchronization
import Testing

/// The core's own thread: code that prefers it runs there, child tasks too, in the order it came, and
/// while it blocks on the disk the cooperative pool goes on.
struct DedicatedExecutorTests {
    static let executor = DedicatedExecutor(name: "test-dedicated")

    /// Synchronous code in a task preferring the executor, and in its child tasks, runs on its thread;
    /// without the preference it does not.
    @Test func preferringTasksRunOnItsThread() async {
        let executor = Self.executor
        #expect(!executor.isCurrentThread)
        let (here, children) = await withTaskExecutorPreference(executor) {
            let here = executor.isCurrentThread
            let children = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 { group.addTask { executor.isCurrentThread } }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            return (here, children)
        }
        #expect(here)
        #expect(children == Array(repeating: true, count: 8))
        let elsewhere = await Task.detached { executor.isCurrentThread }.value
        #expect(!elsewhere)
    }

    /// A task on the executor that blocks (as an `fsync` would) blocks the executor's thread, not a pool
    /// thread: tasks on the pool run to their end meanwhile, none of them on that thread, and the test
    /// itself, on the pool, is what unblocks it.
    @Test func blockingItDoesNotHoldThePool() async {
        let executor = Self.executor
        let gate = DispatchSemaphore(value: 0)
        let before = executor.jobsRun
        async let blocked: Bool = withTaskExecutorPreference(executor) {
            gate.wait()
            return executor.isCurrentThread
        }
        // Two pool tasks (as many threads as this machine's pool may have) run to the end meanwhile.
        let pool = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<2 { group.addTask { !executor.isCurrentThread } }
            return await group.reduce(true) { $0 && $1 }
        }
        gate.signal()
        #expect(await blocked)
        #expect(pool)
        #expect(executor.jobsRun > before)
    }
}
