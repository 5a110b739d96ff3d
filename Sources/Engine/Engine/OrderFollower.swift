import Logging
import Persistence
import Primitives
import ServiceLifecycle
import Synchronization
import TradingModel

/// Follows the orders in flight alongside the trading loop, so that no tick waits for an order to end: a
/// limit entry may rest for the whole `followTimeout` while the loop goes on evaluating every position's
/// exits. At most one order per symbol is in flight (the engine sends no second one while one is).
///
/// Every `followInterval` each order is asked about once (unless the trading stream is live: then its
/// fill or end is learned from `updates`, and the broker is asked only to cancel it or for a last look), canceled when it rests past its deadline and
/// given up past the grace after it, exactly as `OrderExecutor.execute` follows one; an order that ends is
/// settled by the executor (state saved, then journal, then events) before it leaves the set, so the loop
/// never sees its symbol free with the fill unapplied. Once the executor stops sending, each order gets
/// one last look and is left, still open, to reconciliation. It runs as a child task of the engine's
/// `run()`, cancelled with it; a graceful shutdown cuts its wait short.
public final class OrderFollower: Sendable {
    private let executor: OrderExecutor
    private let clock: any WallClock
    private let logger: Logger
    private let flights = Mutex<[Symbol: InFlightOrder]>([:])
    /// What the trading stream pushed; while it is live, orders are followed from it, not asked about.
    private let updates: OrderUpdates?
    /// How often orders in flight are looked at while the stream is live (no broker call is made then).
    static let liveInterval: Duration = .milliseconds(10)

    public init(executor: OrderExecutor, clock: any WallClock, logger: Logger, updates: OrderUpdates? = nil) {
        self.executor = executor
        self.clock = clock
        self.logger = logger
        self.updates = updates
    }

    /// Takes `flight` on; its symbol counts as in flight until it is settled.
    public func track(_ flight: InFlightOrder) {
        let replaced = flights.withLock { $0.updateValue(flight, forKey: flight.symbol) }
        if let replaced {
            // The engine never sends a second order for a symbol in flight; were one sent, both are known.
            logger.error(
                "a second order for a symbol already in flight; the first is left to reconciliation",
                metadata: ["symbol": "\(flight.symbol)", "client_order_id": "\(replaced.intent.clientOrderID)"])
        }
    }

    /// Takes on the open orders a reconciliation adopted (sent before a crash, or followed no longer), to
    /// be followed like any other: settled when they end, canceled once they have rested `followTimeout`
    /// since their intent was made (at once, if that is past), given up after the grace. Skipped: an
    /// order already followed, one whose intent is no longer in `pending` (settled meanwhile), and one
    /// whose symbol has another order in flight (left to reconciliation, and logged).
    public func adopt(_ orders: [AdoptedOrder], pending: Set<String>) {
        guard !orders.isEmpty else { return }
        let now = clock.now
        for adopted in orders where pending.contains(adopted.intent.clientOrderID) {
            let flight = InFlightOrder(
                intent: adopted.intent, order: adopted.order, deadline: max(adopted.intent.createdAt.advanced(by: executor.followTimeout), now))
            let taken: InFlightOrder? = flights.withLock { flights in
                guard let current = flights[flight.symbol] else {
                    flights[flight.symbol] = flight
                    return nil
                }
                return current
            }
            if let taken {
                guard taken.intent.clientOrderID != flight.intent.clientOrderID else { continue }
                logger.warning(
                    "an adopted open order is not followed: another order for its symbol is in flight; it is left to reconciliation",
                    metadata: ["symbol": "\(flight.symbol)", "client_order_id": "\(flight.intent.clientOrderID)"])
                continue
            }
            logger.notice(
                "an open order adopted from the broker is followed",
                metadata: [
                    "symbol": "\(flight.symbol)", "client_order_id": "\(flight.intent.clientOrderID)", "broker_order_id": "\(flight.order.brokerOrderID)",
                    "cancel_at": "\(flight.deadline.rfc3339)",
                ])
        }
    }

    /// Whether an order for `symbol` is in flight.
    public func isInFlight(_ symbol: Symbol) -> Bool { flights.withLock { $0[symbol] != nil } }

    /// The orders in flight now.
    public var inFlight: [InFlightOrder] { flights.withLock { Array($0.values) } }

    /// Moves the deadline of every order in flight to now, so the next round cancels those that still rest
    /// (a flatten).
    public func cancelAllSoon() {
        let now = clock.now
        flights.withLock { flights in
            for symbol in flights.keys where flights[symbol]!.deadline > now { flights[symbol]!.deadline = now }
        }
    }

    /// Moves the deadline of the order in flight for `symbol`, if any, to now (an operator's close).
    public func cancelSoon(_ symbol: Symbol) {
        let now = clock.now
        flights.withLock { flights in
            if let deadline = flights[symbol]?.deadline, deadline > now { flights[symbol]!.deadline = now }
        }
    }

    /// Follows until cancelled, or, once the executor stops sending, until every order has had its last
    /// look. `settled` hears each outcome (after the state and journal are written).
    public func run(settled: @Sendable (OrderExecutor.Outcome) -> Void) async {
        while !Task.isCancelled {
            // A graceful shutdown ends order sending, as it does for the engine's loop.
            if Task.isShuttingDownGracefully { executor.stopSending() }
            if executor.isStopping {
                for outcome in await followOnce() { settled(outcome) }
                return
            }
            do {
                // While the stream is live a round asks the broker nothing: rounds come often, so a pushed fill
                // is applied within milliseconds — also while nothing is in flight, or an order sent during a
                // long wait would have its pushed fill applied only when that wait ends (an idle round is free).
                let interval = updates?.isLive == true ? min(executor.followInterval, Self.liveInterval) : executor.followInterval
                if interval <= Self.liveInterval {
                    // A round this short needs no graceful-shutdown watcher (a task group and two child tasks,
                    // a hundred times a second): the shutdown is seen at the top of the next round.
                    try await clock.sleep(for: interval)
                } else {
                    try await cancelWhenGracefulShutdown { try await self.clock.sleep(for: interval) }
                }
            } catch {
                if Task.isCancelled { return }
                continue
            }
            for outcome in await followOnce() { settled(outcome) }
        }
    }

    /// One round: every order in flight is asked about once (canceled past its deadline); those that ended,
    /// or are given up, are settled and leave the set. Their outcomes, in symbol order.
    @discardableResult
    public func followOnce() async -> [OrderExecutor.Outcome] {
        let round = flights.withLock { $0.values.sorted { $0.symbol < $1.symbol } }
        let phase = updates?.phase
        // Every order got an answer from the broker this round (a reconciliation of the stream's gap).
        var complete = true
        var outcomes: [OrderExecutor.Outcome] = []
        for var flight in round {
            if phase == .live, let updates, let pushed = updates.latest(flight.order.brokerOrderID) { flight.order = pushed }
            if phase == .live, flight.order.status.isOpen, !needsBroker(flight) {
                keep(flight)
                continue
            }
            let open = await executor.advance(&flight)
            if flight.failures > 0 { complete = false }
            if open {
                keep(flight)
                continue
            }
            let outcome = executor.settle(flight)
            flights.withLock { _ = $0.removeValue(forKey: flight.symbol) }
            updates?.forget(flight.order.brokerOrderID)
            logger.info(
                "order followed to its end",
                metadata: [
                    "symbol": "\(flight.symbol)", "client_order_id": "\(flight.intent.clientOrderID)", "outcome": "\(outcome)",
                    "rule": "\(flight.intent.closeRule?.rawValue ?? "-")",
                ])
            outcomes.append(outcome)
        }
        if let updates, let phase { updates.roundEnded(startedIn: phase, complete: complete) }
        return outcomes
    }

    private func keep(_ flight: InFlightOrder) {
        var flight = flight
        flights.withLock { flights in
            // A deadline moved meanwhile (`cancelAllSoon`) is kept.
            if let current = flights[flight.symbol] { flight.deadline = min(flight.deadline, current.deadline) }
            flights[flight.symbol] = flight
        }
    }

    /// Whether an open order needs the broker even while the stream is live: stopping (its last look),
    /// due to be canceled, or past the grace after its cancel (given up).
    private func needsBroker(_ flight: InFlightOrder) -> Bool {
        let now = clock.now
        return executor.isStopping || (now >= flight.deadline && !flight.canceled) || now >= flight.deadline.advanced(by: executor.followTimeout)
    }
}
