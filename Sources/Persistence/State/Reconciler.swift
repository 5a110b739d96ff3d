import Foundation
import Logging
import Primitives
import Synchronization
import TradingModel

/// Makes the local state agree with the broker, which is the ground truth.
///
/// One reconciliation reads the account, positions and open orders; every position that differs becomes
/// a `PositionDiff` in the `.reconciliation` event and the log, and the broker's positions replace the local
/// ones. Each pending intent is resolved by its client order id: known to the broker → adopted (kept
/// pending and handed to the engine to follow while the order is open, dropped once it is done, its fills
/// being in the positions and journaled, marked adopted: see `Reconciler+Adoption`); unknown → dropped,
/// it was never sent. The result is saved and the `FAILED_RECONCILIATION` hold released.
///
/// A failure is classified as the API clients classify it. If the broker cannot be reached (NETWORK) or
/// limits the rate (RATE_LIMIT), trading is held HALTED with reason `FAILED_RECONCILIATION` naming which,
/// and the attempt is retried on a backoff (`reconcileIfDue()`); a later success releases exactly that
/// hold, never an operator's halt or another system hold. Refused credentials (AUTH) and an answer out of
/// contract (SCHEMA) are not retried: trading is held `FAILED_CONFIG` / `FAILED_API_SCHEMA` at once (the
/// reason shown everywhere), the reconciliation stays owed, and the operator's resume re-runs both.
public final class Reconciler: Sendable {
    private struct State {
        var backoff: RetryBackoff
        var inFlight = false
        /// Adopted orders still open, for the engine to follow, by client order id.
        var toFollow: [String: AdoptedOrder] = [:]
    }

    private let store: StateStore
    private let broker: any Broker
    private let clock: any WallClock
    private let bus: EventBus?
    private let journal: OrderJournal?
    private let logger: Logger
    private let state: Mutex<State>
    private let historyLookback: Duration

    /// A reconciler that is due at once: the first `reconcileIfDue()` reconciles. `journal` gets the end of
    /// every adopted order that has ended. `historyLookback`: how far back the broker's order history is
    /// read when the state lost its record of trades (at least the longest cooldown).
    public init(
        store: StateStore, broker: any Broker, clock: any WallClock = SystemClock(), bus: EventBus? = nil, journal: OrderJournal? = nil,
        logger: Logger, backoff: RetryBackoff = RetryBackoff(initialDelay: .seconds(2), maximumDelay: .seconds(120)),
        historyLookback: Duration = .seconds(24 * 3600)
    ) {
        self.historyLookback = historyLookback
        var backoff = backoff
        backoff.request()
        self.store = store
        self.broker = broker
        self.clock = clock
        self.bus = bus
        self.journal = journal
        self.logger = logger
        self.state = Mutex(State(backoff: backoff))
    }

    /// When the next attempt is due, or `nil` when none is wanted.
    public var nextAttemptAt: Timestamp? {
        let now = clock.now
        return state.withLock { $0.backoff.nextAttempt(after: now) }
    }

    public var consecutiveFailures: Int { state.withLock { $0.backoff.consecutiveFailures } }

    /// The adopted orders still open when last reconciled, each handed over once: the engine follows them.
    public func takeOrdersToFollow() -> [AdoptedOrder] {
        state.withLock { state in
            defer { state.toFollow = [:] }
            return state.toFollow.values.sorted { $0.intent.createdAt < $1.intent.createdAt }
        }
    }

    /// Asks for a reconciliation at the next `reconcileIfDue()` (e.g. after a reconnect).
    public func request() {
        state.withLock { $0.backoff.request() }
    }

    /// Reconciles if one is wanted and its backoff has passed; call it every tick. `nil` when nothing was done.
    public func reconcileIfDue() async -> ReconciliationReport? {
        let now = clock.now
        let go = state.withLock { state in
            guard !state.inFlight, state.backoff.action(at: now) == .attempt else { return false }
            state.inFlight = true
            return true
        }
        guard go else { return nil }
        defer { state.withLock { $0.inFlight = false } }
        return await reconcile()
    }

    /// Reconciles now, whatever the backoff says.
    public func reconcile() async -> ReconciliationReport {
        // Only intents that exist before the broker is asked are resolved: a newer one may be in flight.
        let intents = store.state.pendingIntents.map(\.clientOrderID)
        let snapshot: BrokerSnapshot
        // A state that lost its record of trades reads the broker's order history too, for the cooldowns.
        let historyOwed = store.brokerHistoryOwed
        let historyAfter = historyOwed ? clock.now.advanced(by: .zero - historyLookback) : nil
        do {
            snapshot = try await BrokerSnapshot.fetch(from: broker, resolving: intents, historyAfter: historyAfter)
        } catch {
            let errorClass = APIErrorClass(classifying: error)
            let detail = (error as? any ClassifiedError)?.description ?? "an unexpected error"
            switch errorClass {
            case .auth:
                return fail(persistently: .config, because: "the broker refused the credentials: \(detail)")
            case .schema:
                return fail(persistently: .apiSchema, because: "the broker answered out of contract: \(detail)")
            case .rateLimit:
                return fail(because: "the broker's rate limit was reached; retrying: \(detail)")
            case .network:
                return fail(because: "broker unreachable; retrying: \(detail)")
            case .unknown:
                return fail(because: "the broker could not be read; retrying: \(detail)")
            }
        }
        if let problem = snapshot.contractViolation() {
            return fail(persistently: .apiSchema, because: "the broker answered out of contract (\(APIErrorClass.schema.rawValue)): \(problem)")
        }
        let now = clock.now
        var outcome = Outcome()
        var writeError: StateStoreError?
        var cooldowns: [Symbol] = []
        do {
            try store.update { (state: inout PersistentState) -> Void in
                outcome = Self.apply(snapshot, to: &state, now: now)
                if let history = snapshot.history { cooldowns = state.mergeTradeTimes(from: history, now: now) }
            }
        } catch {
            // The reconciled state is kept in memory; the store holds FAILED_STATE and retries the write.
            writeError = error
        }
        if let history = snapshot.history, writeError?.code != .invalidState {
            store.brokerHistoryTaken()
            logger.notice(
                "cooldowns and alerts acted on rebuilt from the broker's order history",
                metadata: ["orders": "\(history.count)", "cooldowns_moved": "\(cooldowns.map(\.rawValue))", "since": "\(historyAfter?.rfc3339 ?? "-")"])
        }
        // A change the store refused was not made: nothing was adopted.
        if writeError?.code != .invalidState {
            journalEnded(outcome.ended)
            state.withLock { state in
                for adopted in outcome.open { state.toFollow[adopted.intent.clientOrderID] = adopted }
            }
        }
        state.withLock { state in
            state.backoff.recordSuccess()
            if outcome.lookAgain { state.backoff.request() }
        }
        let report = ReconciliationReport(
            outcome: .reconciled, diffs: outcome.diffs, adoptedOrders: outcome.adopted, droppedIntents: outcome.dropped,
            error: writeError.map { "reconciled, but the state could not be written: \($0.message)" })
        for diff in outcome.diffs {
            logger.warning(
                "position differs from the broker; the broker's is kept",
                metadata: ["symbol": "\(diff.symbol)", "local": "\(diff.local.map { "\($0)" } ?? "none")", "broker": "\(diff.broker.map { "\($0)" } ?? "none")"])
        }
        let unknown = snapshot.openOrders.filter { order in !intents.contains(order.clientOrderID) }
        if !unknown.isEmpty {
            logger.warning("the broker has open orders Bulwark has no intent for", metadata: ["client_order_ids": "\(unknown.map(\.clientOrderID))"])
        }
        logger.notice(
            "reconciled with the broker",
            metadata: ["diffs": "\(outcome.diffs.count)", "adopted": "\(outcome.adopted)", "dropped": "\(outcome.dropped)"])
        bus?.publish(.account(snapshot.account))
        bus?.publish(.reconciliation(report))
        return report
    }

    /// Journals the end of each adopted order that has ended (its intent left the state in this
    /// reconciliation, so never twice), and publishes each adopted fill as an `orderFilled` event marked
    /// adopted. A line that cannot be written is kept by the journal, which holds trading `FAILED_JOURNAL`
    /// until it is written.
    private func journalEnded(_ ended: [AdoptedOrder]) {
        for adopted in ended {
            let record = Self.journalRecord(forEnded: adopted)
            switch record {
            case .adoptedFill(var fill):
                fill.adopted = true
                bus?.publish(.orderFilled(fill))
                logger.notice(
                    "a fill found by reconciliation is adopted",
                    metadata: [
                        "client_order_id": "\(fill.clientOrderID)", "symbol": "\(fill.symbol)", "side": "\(fill.side.rawValue)",
                        "quantity": "\(fill.quantity)", "price": "\(fill.price)",
                    ])
            case .unpricedFill(let fill):
                logger.warning(
                    "a fill found by reconciliation has no price from the broker; journaled with the price unknown",
                    metadata: [
                        "client_order_id": "\(fill.clientOrderID)", "broker_order_id": "\(adopted.order.brokerOrderID)", "symbol": "\(fill.symbol)",
                        "quantity": "\(fill.quantity)",
                    ])
            default:
                break
            }
            do {
                try journal?.append(record)
            } catch {
                logger.error(
                    "the end of an adopted order is not yet journaled; the journal keeps it and retries",
                    metadata: ["client_order_id": "\(adopted.intent.clientOrderID)", "event": "\(record.eventName)", "error": "\(error.operatorText)"])
            }
        }
    }

    private func fail(because message: String) -> ReconciliationReport {
        let now = clock.now
        let retryAt = state.withLock { $0.backoff.recordFailure(at: now) }
        // If even this cannot be written, the store holds FAILED_STATE: trading is halted either way.
        hold(.reconciliation, reason: "\(HaltCode.reconciliation): \(message)")
        logger.error(
            "reconciliation with the broker failed; trading stays halted",
            metadata: ["error": "\(message)", "retry_at": "\(retryAt.rfc3339)"])
        let report = ReconciliationReport(outcome: .failed, error: message)
        bus?.publish(.reconciliation(report))
        return report
    }

    /// A failure retrying cannot mend: the reconciliation stays owed (its hold), and `code` is held after
    /// it, so it is the reason in force and shown everywhere; nothing is retried until `request()` (the
    /// operator's resume re-checks both).
    private func fail(persistently code: HaltCode, because message: String) -> ReconciliationReport {
        state.withLock { $0.backoff.giveUp() }
        hold(.reconciliation, reason: "\(HaltCode.reconciliation): not reconciled: \(message)")
        hold(code, reason: "\(code): \(message)")
        logger.error(
            "reconciliation with the broker failed; not retried until the operator resumes",
            metadata: ["error": "\(message)", "reason": "\(code)"])
        let report = ReconciliationReport(outcome: .failed, error: message)
        bus?.publish(.reconciliation(report))
        return report
    }

    /// Holds trading for `code`; a hold that cannot be saved is in force in memory (the store holds
    /// FAILED_STATE too and retries the write), and that is logged.
    private func hold(_ code: HaltCode, reason: String) {
        do {
            try store.hold(code, reason: reason)
        } catch {
            logger.error(
                "trading is held in memory, but the hold is not yet saved; the store retries the write",
                metadata: ["hold": "\(code)", "reason": "\(reason)", "error": "\(error.message)"])
        }
    }

    struct Outcome: Sendable {
        var diffs: [PositionDiff] = []
        var adopted: [String] = []
        var dropped: [String] = []
        /// Adopted orders that have ended (their intents removed) and those still open (kept pending).
        var ended: [AdoptedOrder] = []
        var open: [AdoptedOrder] = []
        /// An order was settled by its follower while the broker was read: reconcile again soon.
        var lookAgain = false
    }

    /// The pure part: makes `state` agree with `snapshot`.
    static func apply(_ snapshot: BrokerSnapshot, to state: inout PersistentState, now: Timestamp) -> Outcome {
        var outcome = Outcome()
        var brokerPositions: [Symbol: BrokerPosition] = [:]
        for position in snapshot.positions where !position.quantity.isZero {
            brokerPositions[position.symbol] = position
        }
        // An order open at the broker whose intent is gone was settled by its follower while the broker
        // was read: the snapshot may predate its last fill, so its symbol keeps the local position (which
        // has it), and the next reconciliation looks again.
        var settledMeanwhile: Set<Symbol> = []
        for case (let clientOrderID, let order?) in snapshot.resolved where order.status.isOpen {
            guard let intent = state.pendingIntents.first(where: { $0.clientOrderID == clientOrderID }) else {
                settledMeanwhile.insert(order.symbol)
                continue
            }
            brokerPositions[intent.symbol] = excludingOpenFill(
                of: order, intent: intent, from: brokerPositions[intent.symbol], local: state.positions[intent.symbol])
        }
        outcome.lookAgain = !settledMeanwhile.isEmpty
        let symbols = Set(state.positions.keys).union(brokerPositions.keys).sorted()
        var positions: [Symbol: Position] = [:]
        for symbol in symbols {
            let local = state.positions[symbol]
            if settledMeanwhile.contains(symbol) {
                positions[symbol] = local
                continue
            }
            let broker = brokerPositions[symbol]
            if local?.quantity != broker?.quantity {
                outcome.diffs.append(PositionDiff(symbol: symbol, local: local?.quantity, broker: broker?.quantity))
            }
            guard let broker else { continue }
            let sameSide = local.map { ($0.quantity > 0) == (broker.quantity > 0) } ?? false
            positions[symbol] = Position(
                symbol: symbol, quantity: broker.quantity, averageEntryPrice: broker.averageEntryPrice,
                openedAt: sameSide ? local!.openedAt : now)
        }
        state.positions = positions
        for (clientOrderID, order) in snapshot.resolved {
            guard let intent = state.pendingIntents.first(where: { $0.clientOrderID == clientOrderID }) else { continue }
            if let order {
                outcome.adopted.append(clientOrderID)
                if order.status.isOpen {
                    outcome.open.append(AdoptedOrder(intent: intent, order: order))
                } else {
                    state.removeIntent(clientOrderID: clientOrderID)
                    outcome.ended.append(AdoptedOrder(intent: intent, order: order))
                }
            } else {
                outcome.dropped.append(clientOrderID)
                state.removeIntent(clientOrderID: clientOrderID)
            }
        }
        state.trading.release(.reconciliation, at: now)
        return outcome
    }
}
