import CoreMetrics
import Primitives
import Prometheus
import ServiceLifecycle
import Synchronization
import TradingModel

/// Turns the events on the bus into Prometheus metrics, and renders them for `/metrics`.
///
/// It subscribes when it is made (so nothing published between making it and running it is missed) and is
/// a `Service`: `run()` records every event until its task is cancelled or a graceful shutdown is
/// signalled. Values that are state rather than events — drops per bus subscriber, events published, and
/// (when a health report is given) health and restarts — are read at scrape time by `exposition(health:)`.
///
/// The global `MetricsSystem` is never bootstrapped: everything goes into `registry`, and `metricsFactory`
/// hands other parts a swift-metrics factory onto the same registry.
public final class MetricsRecorder: Service, Sendable {
    /// Where an event's recording stands, so callers (tests) can wait for it without sleeping.
    private struct Progress {
        var isRunning = false
        var isFinished = false
        var processed: UInt64 = 0
        var lastSequence: UInt64 = 0
        var nextWaiterID: UInt64 = 0
        var waiters: [Waiter] = []
    }

    private struct Waiter {
        let id: UInt64
        let sequence: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    /// Values derived from more than one report, kept between events and scrapes.
    struct Tallies {
        /// The highest restart count reported per service (restarts are counted as increases of it).
        var restartsSeen: [ServiceName: Int] = [:]
        var publishedSeen: UInt64 = 0
        var dropGauges: [String: Prometheus.Gauge] = [:]
    }

    public let bus: EventBus
    public let registry: PrometheusCollectorRegistry
    private let subscription: EventSubscription
    private let progress = Mutex(Progress())
    let tallies = Mutex(Tallies())

    /// Subscribes to `bus` as `subscriberName` and registers every metric in `registry`, with the known
    /// label values (every order outcome, guard check, API error class and service's restarts) at 0.
    public init(
        bus: EventBus, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        subscriberName: String = "metrics", bufferSize: Int = 4096
    ) {
        self.bus = bus
        self.registry = registry
        self.subscription = bus.subscribe(name: subscriberName, bufferSize: bufferSize)
        registerKnownSeries()
    }

    /// A swift-metrics factory that records into `registry` (pass it explicitly, e.g.
    /// `Counter(label:dimensions:factory:)`; metrics made this way have no HELP line).
    public var metricsFactory: any MetricsFactory {
        PrometheusMetricsFactory(registry: registry)
    }

    /// Records events until cancelled or gracefully shut down. Call it once.
    public func run() async throws {
        let first = progress.withLock { progress in
            defer { progress.isRunning = true }
            return !progress.isRunning
        }
        guard first else {
            throw DashboardError(code: .runCalledTwice, message: "MetricsRecorder.run() was called twice")
        }
        defer { finish() }
        for await event in subscription.cancelOnGracefulShutdown() {
            record(event)
            didProcess(event)
        }
    }

    /// How many events have been recorded.
    public var processed: UInt64 {
        progress.withLock { $0.processed }
    }

    /// Waits until the event with bus sequence number `sequence` (and so every earlier one it received) has
    /// been recorded: true once it has, false if the recorder stopped or the waiting task was cancelled first.
    @discardableResult
    public func waitUntilProcessed(through sequence: UInt64) async -> Bool {
        let id = progress.withLock { progress in
            defer { progress.nextWaiterID += 1 }
            return progress.nextWaiterID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let answer: Bool? = progress.withLock { progress in
                    if progress.lastSequence >= sequence { return true }
                    // A cancellation handler that ran before this point found no waiter to resume.
                    if progress.isFinished || Task.isCancelled { return false }
                    progress.waiters.append(Waiter(id: id, sequence: sequence, continuation: continuation))
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            let waiter: Waiter? = progress.withLock { progress in
                guard let index = progress.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return progress.waiters.remove(at: index)
            }
            waiter?.continuation.resume(returning: false)
        }
    }

    private func didProcess(_ event: Event) {
        let ready: [Waiter] = progress.withLock { progress in
            progress.processed &+= 1
            progress.lastSequence = max(progress.lastSequence, event.sequence)
            let sequence = progress.lastSequence
            let ready = progress.waiters.filter { $0.sequence <= sequence }
            progress.waiters.removeAll { $0.sequence <= sequence }
            return ready
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }

    private func finish() {
        let waiters: [Waiter] = progress.withLock { progress in
            progress.isFinished = true
            defer { progress.waiters.removeAll() }
            return progress.waiters
        }
        for waiter in waiters { waiter.continuation.resume(returning: false) }
    }
}
