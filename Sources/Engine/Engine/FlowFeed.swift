import Logging
import Persistence
import Primitives
import ServiceLifecycle
import Strategies
import Synchronization
import TradingModel

/// Polls the flow source every interval and hands new signals to the engine.
///
/// A poll that fails after the requester's retries leaves `uw-daemon` DEGRADED; after
/// `failuresBeforeRestart` failed polls in a row the feed throws, so the supervisor restarts it (and gives
/// it up if that keeps happening). A refused key or a broken contract is thrown at once: the supervisor
/// does not restart a persistent fault.
///
/// De-duplicates by alert id: within a run by the ids it has seen, across restarts by the last processed
/// id that the engine saves in the state (alerts up to and including it are skipped) and by the processed
/// alerts the state keeps (rebuilt from the journal after a heal). Alerts older than
/// `maxAge` are not acted on: a signal from before a long outage is no longer a signal.
public final class FlowFeed: Service {
    private let lifecycle = RunState("the flow feed", .restartable)
    public struct Settings: Sendable {
        public var interval: Duration
        public var maxAge: Duration
        public var pageSize: Int
        public var failuresBeforeRestart: Int

        public init(interval: Duration = .seconds(15), maxAge: Duration = .seconds(300), pageSize: Int = 200, failuresBeforeRestart: Int = 3) {
            self.interval = interval
            self.maxAge = maxAge
            self.pageSize = pageSize
            self.failuresBeforeRestart = failuresBeforeRestart
        }
    }

    private let source: any FlowSource
    private let store: any StateReader
    private let inbox: SignalInbox
    private let clock: any WallClock
    private let logger: Logger
    private let settings: Settings
    private let health: (any HealthReporter)?
    private let memory = SeenAlerts()
    private let marks: ActivityMarks?

    public init(
        source: any FlowSource, store: any StateReader, inbox: SignalInbox, clock: any WallClock, logger: Logger, settings: Settings = Settings(),
        health: (any HealthReporter)? = nil, marks: ActivityMarks? = nil
    ) {
        self.marks = marks
        self.health = health
        self.source = source
        self.store = store
        self.inbox = inbox
        self.clock = clock
        self.logger = logger
        self.settings = settings
    }

    /// Polls until cancelled or asked to shut down gracefully; then returns. Throws what the supervisor
    /// must act on: a persistent fault at once, a transient one after `failuresBeforeRestart` polls.
    /// Refuses a second run while one goes on (its supervisor may run it again once it ended).
    public func run() async throws {
        try await lifecycle.running { try await serve() }
    }

    private func serve() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                var failures = 0
                while !Task.isCancelled {
                    do {
                        try await self.poll()
                        failures = 0
                        self.health?.report(.uwDaemon, from: .service, status: .ok)
                    } catch where Task.isCancelled || Task.isShuttingDownGracefully {
                        return  // a poll cut short by the shutdown is not a failure
                    } catch {
                        // The requester has classified, retried, logged and published it.
                        failures += 1
                        let errorClass = APIErrorClass(classifying: error)
                        self.logger.warning("flow poll failed", metadata: ["error": "\(error.operatorText)", "class": "\(errorClass.rawValue)", "in_a_row": "\(failures)"])
                        if errorClass.failureReason != nil || failures >= self.settings.failuresBeforeRestart { throw error }
                        self.health?.report(
                            .uwDaemon, from: .service, status: .degraded, detail: "flow poll failed (\(errorClass.rawValue)), \(failures) in a row",
                            error: error)
                    }
                    try await self.clock.sleep(for: self.settings.interval)
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// One poll: the new, fresh signals, oldest first, into the inbox. Returns them.
    @discardableResult
    public func poll() async throws -> [FlowSignal] {
        let page = try await source.signals(newerThan: memory.cursor, limit: settings.pageSize)
        let now = clock.now
        let state = store.state
        let processed = state.processedSignalIDs
        let fresh = memory.admit(page, lastProcessedID: state.lastFlowAlertID, now: now, maxAge: settings.maxAge)
            .filter { !processed.contains($0.id) }
        if !fresh.isEmpty {
            inbox.put(fresh)
            marks?.mark(.flowAlert, at: now)
            logger.debug("flow signals received", metadata: ["count": "\(fresh.count)"])
        }
        return fresh
    }
}

/// What the feed has seen: ids (bounded) and the newest alert time, the cursor of the next poll.
final class SeenAlerts: Sendable {
    private struct State {
        var ids: Set<String> = []
        var order: [String] = []
        var cursor: Timestamp?
    }

    private let state = Mutex(State())
    private let limit = 5000

    var cursor: Timestamp? { state.withLock { $0.cursor } }

    /// From a page (newest first): the signals not seen, newer than the last processed id, and fresh.
    func admit(_ page: [FlowSignal], lastProcessedID: String?, now: Timestamp, maxAge: Duration) -> [FlowSignal] {
        // Alerts up to and including the last processed one (found in this page) were handled before a restart.
        var candidates = page
        if let lastProcessedID, let index = page.firstIndex(where: { $0.id == lastProcessedID }) {
            candidates = Array(page[..<index])
        }
        return state.withLock { state in
            var admitted: [FlowSignal] = []
            for signal in candidates.reversed() {
                guard !state.ids.contains(signal.id) else { continue }
                state.ids.insert(signal.id)
                state.order.append(signal.id)
                if state.cursor.map({ signal.createdAt > $0 }) ?? true { state.cursor = signal.createdAt }
                guard signal.createdAt.duration(to: now) <= maxAge else { continue }
                admitted.append(signal)
            }
            if state.order.count > limit {
                let excess = state.order.count - limit
                for id in state.order.prefix(excess) { state.ids.remove(id) }
                state.order.removeFirst(excess)
            }
            return admitted
        }
    }
}
