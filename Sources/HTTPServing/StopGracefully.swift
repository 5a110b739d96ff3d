import Logging
import ServiceLifecycle

/// Runs an HTTP server so that cancelling the caller stops it gracefully: it stops accepting, hands every
/// connection already accepted to its handler, closes the idle ones and lets the busy ones finish.
///
/// A server's accept loop must never be cancelled outright. Connections that the kernel has handed over
/// but the loop has not yet taken are then dropped with it, and swift-nio traps ("Deinited NIOAsyncWriter
/// without calling finish()"): a flood of connections at the moment of a stop, a restart or chaos
/// `supervisor_crash` could bring the whole process down. The server runs in a task of its own, which the
/// caller's cancellation does not reach; the cancellation asks it for a graceful shutdown instead, and the
/// caller waits until it has stopped.
public enum StopGracefully {
    /// Runs `server` until it finishes, or until the caller is cancelled or shut down gracefully; then
    /// waits for its graceful stop (at most `limit`, after which it is cancelled after all).
    public static func run(_ server: some Service, limit: Duration = .seconds(15), logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: server, successTerminationBehavior: .gracefullyShutdownGroup)], logger: logger)
        configuration.maximumGracefulShutdownDuration = limit
        let group = ServiceGroup(configuration: configuration)
        let running = Task { try await group.run() }
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await running.value
            } onGracefulShutdown: {
                Task { await group.triggerGracefulShutdown() }
            }
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }
}
