import Synchronization

/// A service's lifecycle: idle, running, finished. `run()` goes through `running(_:)`, which refuses a
/// second run while one is going on, and — for a service that runs once in a process (the core host, the
/// control socket, the console) — any run after the first. A supervised service, restarted by its
/// supervisor calling `run()` again, is `restartable`: a run after the last one ended is allowed.
public final class RunState: Sendable {
    public enum Policy: Sendable {
        /// One run for the life of the object.
        case once
        /// One run at a time; a new one may start after the last ended.
        case restartable
    }

    private enum Phase {
        case idle, running, finished
    }

    public let service: String
    public let policy: Policy
    private let phase = Mutex(Phase.idle)

    public init(_ service: String, _ policy: Policy) {
        self.service = service
        self.policy = policy
    }

    /// Whether a run is going on.
    public var isRunning: Bool { phase.withLock { $0 == .running } }

    /// Runs `body` as the service's run, or throws `RunRefused` without running it.
    public func running<T>(_ body: () async throws -> T) async throws -> T {
        try begin()
        defer { phase.withLock { $0 = .finished } }
        return try await body()
    }

    private func begin() throws(RunRefused) {
        let refusal: RunRefused.Reason? = phase.withLock { phase in
            switch (phase, policy) {
            case (.running, _): return .alreadyRunning
            case (.finished, .once): return .alreadyRan
            case (.idle, _), (.finished, .restartable):
                phase = .running
                return nil
            }
        }
        if let refusal { throw RunRefused(service: service, reason: refusal) }
    }
}

/// `run()` called on a service that is running, or that runs once and has run.
public struct RunRefused: OperatorError, Equatable {
    public enum Reason: Sendable, Equatable {
        case alreadyRunning, alreadyRan
    }

    public var service: String
    public var reason: Reason

    public init(service: String, reason: Reason) {
        self.service = service
        self.reason = reason
    }

    public var errorCode: String { "service.run_refused" }
    public var description: String {
        switch reason {
        case .alreadyRunning: "\(service) is already running: a second run() is refused"
        case .alreadyRan: "\(service) has run and stopped: it runs once in a process, a second run() is refused"
        }
    }
}
