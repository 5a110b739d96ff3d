import Logging
import PaperExchange
import ServiceLifecycle
import Synchronization
import Primitives

/// The embedded paper exchange as a service of the process's group. It is started ahead of the group —
/// the API clients need its port before anything else is built — and handed to the group, which from then
/// on owns it: a graceful shutdown stops it (after every service listed later, the core among them), and
/// if it stops on its own the group hears of it as a failure instead of trading on against a dead broker.
package final class EmbeddedExchangeService: Service, Sendable {
    struct Stopped: Error, CustomStringConvertible {
        var description: String
    }

    private let serving: Task<Void, any Error>
    private let logger: Logger
    private let lifecycle = RunState("the embedded paper exchange", .once)

    /// Starts `server` at once.
    init(_ server: ExchangeServer, logger: Logger) {
        self.serving = Task { try await server.run() }
        self.logger = logger
    }

    /// Watches the exchange until the group shuts down, then stops it. Call it once.
    package func run() async throws {
        try await lifecycle.running { try await watch() }
    }

    private func watch() async throws {
        let stopping = Atomic<Bool>(false)
        let outcome = await withGracefulShutdownHandler {
            await serving.result
        } onGracefulShutdown: { [serving] in
            stopping.store(true, ordering: .relaxed)
            serving.cancel()
        }
        if stopping.load(ordering: .relaxed) || Task.isCancelled { return }
        let why: String
        switch outcome {
        case .success: why = "it stopped serving"
        case .failure(let error): why = "\(error.operatorText)"
        }
        logger.critical("the embedded paper exchange stopped: \(why)")
        throw Stopped(description: "the embedded paper exchange stopped: \(why)")
    }

    /// Stops it when the group never ran (a start that failed after it), and waits until it has stopped.
    func stop() async {
        serving.cancel()
        _ = await serving.result
    }
}
