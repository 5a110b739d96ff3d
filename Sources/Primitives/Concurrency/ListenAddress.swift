import ServiceLifecycle
import Synchronization

/// Where a server listens, as its one run goes: not yet (callers of `wait()` wait), listening at an
/// address, or finished (every wait, then and later, throws why). Shared by the paper exchange and the
/// dashboard, which both serve on a port that may be chosen by the kernel (port 0).
public final class ListenAddress<Address: Sendable>: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Address, any Error>])
        case listening(Address)
        case finished(any Error)
    }

    private let state = Mutex(State.waiting([]))

    public init() {}

    /// The address once listening; nil before and after.
    public var current: Address? {
        state.withLock { if case .listening(let address) = $0 { address } else { nil } }
    }

    /// Waits until the server listens and returns where; throws the reason if it finished first.
    public func wait() async throws -> Address {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Address, any Error>? = state.withLock { state in
                switch state {
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                case .listening(let address): return .success(address)
                case .finished(let error): return .failure(error)
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// The server listens at `address`: the waiting callers get it.
    public func listening(at address: Address) {
        let waiters = state.withLock { state -> [CheckedContinuation<Address, any Error>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .listening(address)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: address) }
    }

    /// The server stopped, or never started, because of `error`: every wait from now on throws it.
    public func finished(_ error: any Error) {
        let waiters = state.withLock { state -> [CheckedContinuation<Address, any Error>] in
            defer { state = .finished(error) }
            if case .waiting(let waiters) = state { return waiters }
            return []
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }
}

/// A service that serves on a port it can tell once it listens.
public protocol PortServing: Service {
    /// The port it listens on, once it does; throws if it failed to start or has stopped.
    func boundPort() async throws -> Int
}

extension PortServing {
    /// Runs the service, calls `body` with its port once it listens, then stops it and waits until it has
    /// stopped (for tests and one-off tools).
    public func withRunning<Result: Sendable>(_ body: @Sendable (Int) async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            let outcome: Swift.Result<Result, any Error>
            do {
                let port = try await boundPort()
                outcome = .success(try await body(port))
            } catch {
                outcome = .failure(error)
            }
            group.cancelAll()
            while let _ = try? await group.next() {}
            return try outcome.get()
        }
    }
}
