import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import TradingCore

/// The `dashboard` service: `GET /api/system/health` and `GET /metrics` over HTTP, on loopback only.
///
/// It is a `Service`: `run()` serves until its task is cancelled or a graceful shutdown is signalled.
/// `boundPort()` waits until it listens and returns the port (useful with port 0). In tests,
/// `withRunning { port in … }` runs it around a closure.
public final class DashboardServer: Service, Sendable {
    private typealias AddressWaiter = CheckedContinuation<(host: String, port: Int), any Error>

    private enum Lifecycle {
        case idle(waiters: [AddressWaiter])
        case running(host: String, port: Int)
        case finished(reason: String)
    }

    /// The loopback address it listens on.
    public let host: String
    /// The port it was asked for; 0 picks a free one (read it with `boundPort()`).
    public let port: Int
    let health: any HealthSource
    let metrics: MetricsRecorder
    let logger: Logger
    private let lifecycle = Mutex(Lifecycle.idle(waiters: []))
    private let started = Atomic<Bool>(false)

    /// Serves `health` and `metrics` on `host:port`. Throws `.notLoopback` unless `host` is a loopback
    /// address (`127.x.x.x` or `::1`): the dashboard never listens beyond this machine.
    public init(
        port: Int = 0, host: String = "127.0.0.1", health: any HealthSource, metrics: MetricsRecorder, logger: Logger
    ) throws(DashboardError) {
        guard Self.isLoopback(host) else {
            throw DashboardError(
                code: .notLoopback,
                message: "the dashboard listens on loopback only (127.0.0.1 or ::1), not on \(host)")
        }
        self.host = host
        self.port = port
        self.health = health
        self.metrics = metrics
        self.logger = logger
    }

    /// Whether `host` is an IPv4 loopback literal (`127.0.0.0/8`) or `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && UInt8($0) != nil }) else { return false }
        return parts[0] == "127"
    }

    /// Serves until cancelled or gracefully shut down. Call it once.
    public func run() async throws {
        guard !started.exchange(true, ordering: .relaxed) else {
            throw DashboardError(code: .runCalledTwice, message: "DashboardServer.run() was called twice")
        }
        let application = Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { [self] channel in
                didStart(host: channel.localAddress?.ipAddress ?? host, port: channel.localAddress?.port ?? port)
            },
            logger: logger)
        do {
            try await application.run()
            didFinish(reason: "the dashboard stopped")
        } catch where Task.isCancelled {
            didFinish(reason: "the dashboard stopped")
        } catch {
            didFinish(reason: "the dashboard could not serve on \(host):\(port): \(error)")
            throw error
        }
    }

    /// The port it listens on, once it does; throws `.notRunning` if it failed to start or has stopped.
    public func boundPort() async throws -> Int {
        try await boundAddress().port
    }

    /// The address and port it listens on, once it does; throws `.notRunning` if it failed to start or has
    /// stopped.
    public func boundAddress() async throws -> (host: String, port: Int) {
        try await withCheckedThrowingContinuation { continuation in
            let result: Result<(host: String, port: Int), any Error>? = lifecycle.withLock { state in
                switch state {
                case .idle(var waiters):
                    waiters.append(continuation)
                    state = .idle(waiters: waiters)
                    return nil
                case .running(let host, let port):
                    return .success((host, port))
                case .finished(let reason):
                    return .failure(DashboardError(code: .notRunning, message: reason))
                }
            }
            if let result { continuation.resume(with: result) }
        }
    }

    /// Runs the server, calls `body` with its port once it listens, then stops it and waits until it has
    /// stopped.
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

    private func didStart(host: String, port: Int) {
        let waiters: [AddressWaiter] = lifecycle.withLock { state in
            guard case .idle(let waiters) = state else { return [] }
            state = .running(host: host, port: port)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: (host, port)) }
        logger.info("dashboard listening", metadata: ["address": "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"])
    }

    private func didFinish(reason: String) {
        let waiters: [AddressWaiter] = lifecycle.withLock { state in
            defer { state = .finished(reason: reason) }
            if case .idle(let waiters) = state { return waiters }
            return []
        }
        let failure = DashboardError(code: .notRunning, message: reason)
        for waiter in waiters { waiter.resume(throwing: failure) }
    }
}
