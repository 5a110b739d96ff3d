import Foundation
import Synchronization

/// A thread of its own for tasks that block it: a `TaskExecutor` whose jobs run, one at a time and in
/// the order they came, on a thread that is not one of Swift's cooperative pool.
///
/// Durable writes (`fsync`, `rename`, the folder's `fsync`) are synchronous on purpose: a state change is
/// on disk before anyone hears of it, and a halt's write happens under the command queue's lock. Run on
/// the cooperative pool — two threads on a 2-core machine — each of them holds a pool thread for as long
/// as the disk takes, and every other task (the console, the control socket, the dashboard, the embedded
/// exchange) waits behind it. A task that prefers this executor (`withTaskExecutorPreference`) runs its
/// code here instead, its child tasks too, so its waits on the disk block this thread only.
public final class DedicatedExecutor: TaskExecutor, Sendable {
    public let name: String
    private let jobs = Mutex<[UnownedJob]>([])
    private let wake = DispatchSemaphore(value: 0)
    private let threadID = Atomic<UInt>(0)
    private let started = DispatchSemaphore(value: 0)
    private let ran = Atomic<Int>(0)

    /// Starts the thread, named `name` (as `top -H` and `/proc/PID/task/*/comm` show it, cut to 15 bytes).
    public init(name: String) {
        self.name = name
        Thread { [self] in loop() }.start()
        started.wait()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        wake.signal()
    }

    /// Whether the calling code runs on this executor's thread.
    public var isCurrentThread: Bool { threadID.load(ordering: .acquiring) == Self.currentThread }

    /// How many jobs it has run (for tests and benchmarks).
    public var jobsRun: Int { ran.load(ordering: .relaxed) }

    private func loop() {
        threadID.store(Self.currentThread, ordering: .releasing)
        // Named for `top -H` and ps (Linux keeps 15 bytes); `pthread_setname_np` is not in Glibc's module.
        if let comm = FileHandle(forWritingAtPath: "/proc/thread-self/comm") {
            comm.write(Data(name.utf8.prefix(15)))
            try? comm.close()
        }
        started.signal()
        while true {
            wake.wait()
            let job = jobs.withLock { $0.removeFirst() }
            ran.add(1, ordering: .relaxed)
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    private static var currentThread: UInt {
        #if canImport(Glibc)
        UInt(pthread_self())
        #else
        UInt(bitPattern: pthread_self())
        #endif
    }
}
