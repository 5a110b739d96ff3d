import Foundation

/// Runs blocking `work` (process waits, `usleep` polling) on a thread of its own and awaits its result,
/// so a test never holds one of the few threads Swift concurrency runs every other test on (two on a
/// two-core machine: two blocking tests at once would starve the whole suite).
public func onDedicatedThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
