import DequeModule
import Persistence
import Primitives
import ServiceLifecycle
import Synchronization
import TradingModel

/// Keeps a `ControlSnapshot` of everything a console shows, folded from the bus: what the control socket
/// sends a client first, and again whenever that client fell behind.
///
/// It subscribes when it is made (make it before anything publishes) and folds in `run()`. The holds on
/// trading are not events; the caller passes them to `snapshot(holds:)` from the state store in force.
public final class StatusBoard: Service, Sendable {
    private let lifecycle = RunState("the status board", .once)
    private struct Board: Sendable {
        var sequence: UInt64 = 0
        var trading: TradingState?
        var overall: OverallHealth?
        var services: [ServiceHealth] = []
        var positions: [Position] = []
        var openOrders: [OrderSubmission] = []
        var rejections: Deque<GuardRejection> = []
        var recentEvents: Deque<Event> = []
        var chaosOn: [ChaosMode] = []
        var account: AccountSnapshot?
        var quotes: [Quote] = []
        var vitals: VitalSigns?
    }

    private let board = Mutex(Board())
    private let subscription: EventSubscription
    private let clock: any WallClock
    private let broker: String
    private let chaosLocked: Bool

    /// `broker` is "SIM", "PAPER" or "LIVE"; `chaosLocked` when chaos modes cannot be switched.
    public init(bus: EventBus, clock: any WallClock, broker: String, chaosLocked: Bool, bufferSize: Int = 16_384) {
        self.subscription = bus.subscribe(name: "status-board", bufferSize: bufferSize)
        self.clock = clock
        self.broker = broker
        self.chaosLocked = chaosLocked
    }

    /// What was true before the board subscribed (services, overall health, chaos modes set at start);
    /// anything an event has already reported is kept.
    public func seed(services: [ServiceHealth], overall: OverallHealth?, chaosOn: [ChaosMode]) {
        board.withLock { board in
            for service in services where !board.services.contains(where: { $0.name == service.name }) {
                board.services.append(service)
            }
            if board.overall == nil { board.overall = overall }
            if board.sequence == 0 { board.chaosOn = chaosOn.sorted { $0.rawValue < $1.rawValue } }
        }
    }

    /// Folds the bus into the board until the bus ends or a graceful shutdown (the board stops last).
    /// Refuses a second run while one goes on and any after the first.
    public func run() async throws {
        try await lifecycle.running { try await serve() }
    }

    private func serve() async throws {
        await cancelWhenGracefulShutdown {
            for await event in self.subscription {
                self.fold(event)
            }
        }
    }

    /// Folds one event (what `run()` does with each event of the bus).
    public func fold(_ event: Event) {
        board.withLock { Self.apply(event, to: &$0) }
    }

    /// The board now, with the holds given (cheap: copies of bounded arrays).
    public func snapshot(holds: [TradingStateLedger.Hold]) -> ControlSnapshot {
        let now = clock.now
        return board.withLock { board in
            ControlSnapshot(
                sequence: board.sequence, takenAt: now, broker: broker, chaosLocked: chaosLocked, trading: board.trading, holds: holds,
                overall: board.overall, services: board.services, positions: board.positions, openOrders: board.openOrders,
                rejections: Array(board.rejections), recentEvents: Array(board.recentEvents), chaosOn: board.chaosOn,
                account: board.account, quotes: board.quotes, vitals: board.vitals)
        }
    }

    /// Events this board lost because it fell behind the bus (its figures may then be stale), or nil once
    /// unsubscribed.
    public var droppedEvents: UInt64? { subscription.droppedCount }

    private static func apply(_ event: Event, to board: inout Board) {
        board.sequence = max(board.sequence, event.sequence)
        switch event.kind {
        case .quotes(let quotes):
            for quote in quotes {
                if let index = board.quotes.firstIndex(where: { $0.symbol == quote.symbol }) {
                    board.quotes[index] = quote
                } else {
                    board.quotes.append(quote)
                }
            }
            board.quotes.sort { $0.symbol.rawValue < $1.symbol.rawValue }
            return
        case .vitals(let vitals):
            // Like quotes, only the latest counts: kept apart, not among the recent events.
            board.vitals = vitals
            return
        case .serviceStatus(let health):
            if let index = board.services.firstIndex(where: { $0.name == health.name }) {
                board.services[index] = health
            } else {
                board.services.append(health)
            }
        case .overallHealth(let overall):
            board.overall = overall
        case .tradingState(let state):
            board.trading = state
        case .orderSubmitted(let submission):
            board.openOrders.removeAll { $0.clientOrderID == submission.clientOrderID }
            board.openOrders.append(submission)
        case .orderFilled(let fill):
            if fill.isComplete { board.openOrders.removeAll { $0.clientOrderID == fill.clientOrderID } }
        case .orderRejected(let rejection):
            board.openOrders.removeAll { $0.clientOrderID == rejection.clientOrderID }
        case .guardRejected(let rejection):
            board.rejections.prepend(rejection)
            if board.rejections.count > ControlSnapshot.rejectionLimit { board.rejections.removeLast() }
        case .positionOpened(let position), .positionChanged(let position):
            if let index = board.positions.firstIndex(where: { $0.symbol == position.symbol }) {
                board.positions[index] = position
            } else {
                board.positions.append(position)
                board.positions.sort { $0.symbol.rawValue < $1.symbol.rawValue }
            }
        case .positionClosed(let close):
            board.positions.removeAll { $0.symbol == close.symbol }
            board.quotes.removeAll { $0.symbol == close.symbol }
        case .account(let account):
            board.account = account
        case .chaosMode(let mode, let enabled):
            board.chaosOn.removeAll { $0 == mode }
            if enabled {
                board.chaosOn.append(mode)
                board.chaosOn.sort { $0.rawValue < $1.rawValue }
            }
        case .orderIntent, .stateHealed, .reconciliation, .apiError, .apiRecovered, .log, .startup, .commandResult:
            break
        }
        board.recentEvents.append(event)
        if board.recentEvents.count > ControlSnapshot.eventLimit { board.recentEvents.removeFirst() }
    }
}
