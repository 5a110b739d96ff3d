import HTTPServing
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Primitives
import ServiceLifecycle
import Synchronization

/// The paper exchange: Alpaca's trading and market-data APIs and Unusual Whales' flow-alerts API, served
/// over HTTP on 127.0.0.1 from an `ExchangeBook`.
///
/// It is a `Service`: `run()` serves until its task is cancelled or a graceful shutdown is signalled.
/// `boundPort()` waits until it listens and returns the port (useful with port 0). In tests,
/// `withRunning { port in … }` runs it around a closure.
public final class ExchangeServer: PortServing, Sendable {
    public struct Options: Sendable {
        /// TCP port on 127.0.0.1; 0 picks a free one (read it with `boundPort()`).
        public var port: Int
        /// Alpaca credentials the trading and market-data routes require.
        public var keyID: Secret
        public var secretKey: Secret
        /// Bearer token the Unusual Whales route requires; `nil` means the secret key.
        public var flowToken: Secret?
        /// The account and market of a new book (a saved book keeps its own seed and symbols).
        public var book: ExchangeBook.Configuration
        /// Where `paper_exchange.json` is kept; `nil` keeps the book in memory only.
        public var stateDirectory: String?
        /// Requests a minute per key (Alpaca's is 200).
        public var rateLimitPerMinute: Int
        /// Accept faults through `injectFault` and the `/__faults` admin route. Off by default and never on
        /// in the embedded exchange.
        public var faultControls: Bool
        /// Connections served at once, the idle and header timeout, and the largest request body (413 beyond).
        public var limits: ConnectionLimits
        /// The streams' limits: connections, message size, symbols, queued messages.
        public var streams: StreamLimits = .standard

        public init(
            port: Int = 0, keyID: Secret, secretKey: Secret, flowToken: Secret? = nil,
            book: ExchangeBook.Configuration = .init(seed: 1), stateDirectory: String? = nil,
            rateLimitPerMinute: Int = 200, faultControls: Bool = false, limits: ConnectionLimits = .standard
        ) {
            self.port = port
            self.keyID = keyID
            self.secretKey = secretKey
            self.flowToken = flowToken
            self.book = book
            self.stateDirectory = stateDirectory
            self.rateLimitPerMinute = rateLimitPerMinute
            self.faultControls = faultControls
            self.limits = limits
        }

        var bearerToken: Secret { flowToken ?? secretKey }
    }

    /// The exchange was asked for its port but is not listening (it failed to start, or it stopped).
    public struct NotRunning: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// `injectFault` was called on an exchange started without `faultControls`.
    public struct FaultControlsDisabled: Error, Sendable, CustomStringConvertible {
        public var description: String { "fault controls are off: start the exchange with Options.faultControls = true" }
    }

    public let options: Options
    let desk: ExchangeDesk
    let limiter: Mutex<RateLimitWindow>
    let faultPlan = Mutex(FaultPlan())
    /// The requests served so far, by route.
    public let requestCounts = RouteCounter()
    let logger: Logger
    /// The open stream connections (trading and market data).
    let streams: StreamHub
    /// At most `limits.maxConnections` open at once: one more closes the connection quiet the longest.
    let roster: ConnectionRoster
    private let address = ListenAddress<Int>()
    /// Held in a box, not as an inline `Atomic`: with one, the release compiler crashed on the init.
    private let started = LockedBox(false)

    /// Loads the saved book from `options.stateDirectory` (or makes a new one) without starting to serve.
    /// Throws when the state folder cannot be prepared or the saved book cannot be read.
    public init(options: Options, clock: any WallClock = SystemClock(), logger: Logger) throws(BookFile.Failure) {
        // The throwing work comes before any stored property is set: a throw out of a partly initialised
        // class holding `Mutex`es crashed the release compiler (Swift 6.3.1, SIL CopyPropagation).
        let (book, file) = try Self.openBook(options: options, clock: clock, logger: logger)
        let streams = StreamHub(limits: options.streams)
        self.options = options
        self.logger = logger
        self.limiter = Mutex(RateLimitWindow(limit: max(1, options.rateLimitPerMinute)))
        self.roster = ConnectionRoster(limit: options.limits.maxConnections)
        self.streams = streams
        self.desk = ExchangeDesk(book: book, clock: clock, file: file, logger: logger, streams: streams)
    }

    /// The saved book in `options.stateDirectory` and its file, or a new book (saved there at once).
    private static func openBook(
        options: Options, clock: any WallClock, logger: Logger
    ) throws(BookFile.Failure) -> (ExchangeBook, BookFile?) {
        guard let directory = options.stateDirectory else {
            return (ExchangeBook(configuration: options.book, createdAt: clock.now), nil)
        }
        let bookFile = try BookFile(directory: directory)
        if let saved = try bookFile.load() {
            if saved.seed != options.book.seed {
                logger.notice(
                    "paper exchange: continuing the saved book (seed \(saved.seed)); delete \(bookFile.path) to start over with seed \(options.book.seed)")
            }
            return (ExchangeBook(restoring: saved, configuration: options.book), bookFile)
        }
        let book = ExchangeBook(configuration: options.book, createdAt: clock.now)
        try bookFile.save(book.state)
        return (book, bookFile)
    }

    /// Serves until cancelled or gracefully shut down. Call it once.
    /// The thread the request handlers run on (one for the process, shared by every exchange it serves).
    static let deskThread = DedicatedExecutor(name: "exchange-desk")

    public func run() async throws {
        guard !started.withLock({ started in defer { started = true }; return started }) else {
            throw NotRunning(description: "ExchangeServer.run() was called twice")
        }
        let roster = self.roster
        let application = Application(
            router: makeRouter(),
            server: GuardedUpgradeChannel.builder(
                webSocketRouter: makeStreamRouter(),
                configuration: .init(http1: .init(idleTimeout: TimeAmount(options.limits.idleTimeout)), ws: webSocketConfiguration),
                roster: roster),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: options.port), serverName: nil),
            onServerRunning: { [self] channel in address.listening(at: channel.localAddress?.port ?? options.port) },
            logger: logger)
        do {
            // Handlers run on the desk's own thread, where every request's change is saved (`fsync`) before
            // it is answered: they are serialized by the desk's lock anyway, and none of them holds a
            // thread of the cooperative pool while the disk works.
            try await withTaskExecutorPreference(Self.deskThread) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await self.runStreamTicker() }
                    defer { group.cancelAll() }
                    try await StopGracefully.run(application, logger: logger)
                }
            }
            address.finished(NotRunning(description: "the exchange stopped"))
        } catch where Task.isCancelled {
            address.finished(NotRunning(description: "the exchange stopped"))
        } catch {
            address.finished(NotRunning(description: "the exchange could not serve on 127.0.0.1:\(options.port): \(error.operatorText)"))
            throw error
        }
    }

    /// The port it listens on, once it does; throws `NotRunning` if it failed to start or has stopped.
    public func boundPort() async throws -> Int {
        try await address.wait()
    }

    /// `http://127.0.0.1:PORT` while it is listening.
    public var baseURL: String? {
        address.current.map { "http://127.0.0.1:\($0)" }
    }

    /// The book as it stands now (brought up to the clock's time).
    public func snapshot() -> ExchangeBook {
        desk.snapshot()
    }
}

extension ExchangeServer {
    /// Queues `fault` for the next `fault.count` responses of `fault.route`.
    public func injectFault(_ fault: Fault) throws(FaultControlsDisabled) {
        guard options.faultControls else { throw FaultControlsDisabled() }
        faultPlan.withLock { $0.add(fault) }
    }

    /// Drops every queued fault.
    public func clearFaults() {
        faultPlan.withLock { $0.clear() }
    }

    /// The faults still queued, with their remaining counts.
    public var pendingFaults: [Fault] {
        faultPlan.withLock { $0.pending }
    }
}
