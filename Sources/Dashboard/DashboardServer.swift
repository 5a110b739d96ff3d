import Foundation
import HTTPServing
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Primitives
import ServiceLifecycle
import Synchronization
import TradingModel

/// The `dashboard` service: `GET /api/system/health` and `GET /metrics` over HTTP, on loopback only.
///
/// It is a `Service`: `run()` serves until its task is cancelled or a graceful shutdown is signalled.
/// `boundPort()` waits until it listens and returns the port (useful with port 0). In tests,
/// `withRunning { port in … }` runs it around a closure.
public final class DashboardServer: PortServing, Sendable {
    public struct BoundAddress: Hashable, Sendable {
        public var host: String
        public var port: Int
    }

    /// The loopback address it listens on.
    public let host: String
    /// The port it was asked for; 0 picks a free one (read it with `boundPort()`).
    public let port: Int
    let health: any HealthSource
    let metrics: MetricsRecorder
    let logger: Logger
    /// Connections, idle and header timeout: a local client cannot hold the dashboard (or this process's
    /// file descriptors) by opening connections and leaving them idle.
    public let limits: ConnectionLimits
    private let address = ListenAddress<BoundAddress>()
    private let started = Atomic<Bool>(false)
    private let listening = Atomic<Bool>(false)

    /// Serves `health` and `metrics` on `host:port`. Throws `.notLoopback` unless `host` is a loopback
    /// address (`127.x.x.x` or `::1`): the dashboard never listens beyond this machine.
    public init(
        port: Int = 0, host: String = "127.0.0.1", health: any HealthSource, metrics: MetricsRecorder,
        limits: ConnectionLimits = .standard, logger: Logger
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
        self.limits = limits
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
        // At the limit the quietest connection is closed, so an operator's check gets in past a flood.
        let roster = ConnectionRoster(limit: limits.maxConnections)
        let application = Application(
            router: makeRouter(),
            server: .http1(configuration: .init(additionalChannelHandlers: [roster.handler()], idleTimeout: TimeAmount(limits.idleTimeout))),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { [self] channel in
                didStart(BoundAddress(host: channel.localAddress?.ipAddress ?? host, port: channel.localAddress?.port ?? port))
            },
            logger: logger)
        do {
            try await StopGracefully.run(application, logger: logger)
            didFinish(reason: "the dashboard stopped")
        } catch where Task.isCancelled {
            didFinish(reason: "the dashboard stopped")
        } catch {
            // Before it listens, a failure is the listening's: named by address and by what the errno means.
            let failure = listening.load(ordering: .relaxed)
                ? DashboardError(code: .notRunning, message: "the dashboard stopped serving on \(Self.place(host, port)): \(Self.meaning(of: error))")
                : Self.listenFailure(error, host: host, port: port)
            didFinish(reason: failure.message)
            throw failure
        }
    }

    /// The port it listens on, once it does; throws `.notRunning` if it failed to start or has stopped.
    public func boundPort() async throws -> Int {
        try await boundAddress().port
    }

    /// The address and port it listens on, once it does; throws `.notRunning` if it failed to start or has
    /// stopped.
    public func boundAddress() async throws -> (host: String, port: Int) {
        let bound = try await address.wait()
        return (bound.host, bound.port)
    }

    /// Why it could not listen on `host:port`, in words: the address, and what the errno means.
    static func listenFailure(_ error: any Error, host: String, port: Int) -> DashboardError {
        DashboardError(code: .cannotListen, message: "the dashboard cannot listen: \(place(host, port)) \(meaning(of: error))")
    }

    /// `host:port`, with an IPv6 host in brackets.
    static func place(_ host: String, _ port: Int) -> String {
        "\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// What a listening error means, for the operator: the common errnos in words, others by the system's text.
    static func meaning(of error: any Error) -> String {
        guard let error = error as? IOError else { return "failed (\(error.operatorText))" }
        switch error.errnoCode {
        case EADDRINUSE: return "is already in use (another process listens there; `bulwark doctor` names it)"
        case EACCES: return "is not allowed (a port below 1024 needs privileges)"
        case EADDRNOTAVAIL: return "is not an address of this machine"
        default: return "failed: " + String(cString: strerror(error.errnoCode))
        }
    }

    private func didStart(_ bound: BoundAddress) {
        listening.store(true, ordering: .relaxed)
        address.listening(at: bound)
        let host = bound.host
        logger.info("dashboard listening", metadata: ["address": "http://\(host.contains(":") ? "[\(host)]" : host):\(bound.port)"])
    }

    private func didFinish(reason: String) {
        address.finished(DashboardError(code: .notRunning, message: reason))
    }
}
