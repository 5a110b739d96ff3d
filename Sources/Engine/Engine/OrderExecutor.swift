import Foundation
import Logging
import Persistence
import Primitives
import RiskGuard
import Strategies
import TradingModel

/// What the market looked like when an action was decided: the account and the latest quotes.
public struct MarketSnapshot: Sendable {
    public var account: AccountSnapshot
    public var quotes: [Symbol: Quote]

    public init(account: AccountSnapshot, quotes: [Symbol: Quote]) {
        self.account = account
        self.quotes = quotes
    }
}

/// Carries one strategy action to the broker and back:
/// intent (saved) → send gate → guard → send gate → submit (idempotent) → follow the order to its end →
/// update and save the state → journal → events. Every step that leaves the process is written down first.
///
/// The send gate (`SendGate`) is asked immediately before the submit: an order refused there (trading
/// HALTED, the kill-switch file, the process stopping) is never sent, leaves the pending intents, is
/// journaled as canceled with the reason, and its `Outcome.notSent` tells the engine whether to stop the
/// rest of its batch. Once `stopSending()` is called (a stop signal), nothing new is sent and following a
/// resting order stops, its intent left pending for reconciliation.
public struct OrderExecutor: Sendable {
    public struct Settings: Sendable {
        /// How often a submitted order is asked about.
        public var followInterval: Duration
        /// How long an order may rest before it is canceled.
        public var followTimeout: Duration

        /// Failed questions about an order in a row before it is left to reconciliation.
        public var maxFollowFailures: Int

        public init(followInterval: Duration = .milliseconds(500), followTimeout: Duration = .seconds(30), maxFollowFailures: Int = 3) {
            self.maxFollowFailures = maxFollowFailures
            self.followInterval = followInterval
            self.followTimeout = followTimeout
        }
    }

    public enum Outcome: Sendable, Equatable {
        /// Filled (fully, or partly before it ended); the state is saved.
        case filled(BrokerOrder)
        case refusedByGuard(GuardRejection)
        case refusedByBroker(String)
        /// Ended with no fill (canceled, expired).
        case ended(BrokerOrder)
        /// Nothing was done (no position to exit, the intent could not be saved).
        case skipped(String)
        /// Sent, but the outcome is unknown (the broker stopped answering): the intent stays pending and
        /// reconciliation resolves it.
        case unresolved(String)
        /// Refused by the send gate, never sent. `endsBatch`: nothing else may be sent either (HALTED, the
        /// kill switch, stopping), so the caller stops carrying out the rest of its actions.
        case notSent(reason: String, endsBatch: Bool)
    }

    private let store: any StateLedger
    private let router: any OrderRouter
    private let gate: OrderGate
    private let journal: OrderJournal
    private let bus: EventBus?
    private let clock: any WallClock
    private let logger: Logger
    private let settings: Settings
    private let health: (any HealthReporter)?
    private let sendGate: SendGate

    /// `health`, when given, hears at once when the broker cannot be reached while an order is sent or
    /// followed (`trading-bot` DEGRADED), instead of at the engine's next tick. `sendGate` defaults to
    /// one over `store` with a latch of its own.
    public init(
        store: StateStore, router: any OrderRouter, gate: OrderGate, journal: OrderJournal, bus: EventBus?,
        clock: any WallClock, logger: Logger, settings: Settings = Settings(), health: (any HealthReporter)? = nil, sendGate: SendGate? = nil
    ) {
        self.init(
            ledger: store, router: router, gate: gate, journal: journal, bus: bus, clock: clock, logger: logger, settings: settings,
            health: health, sendGate: sendGate ?? SendGate(store: store, logger: logger))
    }

    /// The executor over any `StateLedger`: it reads positions and records, settles and drops intents
    /// through it, and nothing else of the store.
    public init(
        ledger store: any StateLedger, router: any OrderRouter, gate: OrderGate, journal: OrderJournal, bus: EventBus?,
        clock: any WallClock, logger: Logger, settings: Settings = Settings(), health: (any HealthReporter)? = nil, sendGate: SendGate
    ) {
        self.health = health
        self.sendGate = sendGate
        self.store = store
        self.router = router
        self.gate = gate
        self.journal = journal
        self.bus = bus
        self.clock = clock
        self.logger = logger
        self.settings = settings
    }

    /// From now on nothing new is sent, and an order being followed is left to reconciliation (a stop
    /// signal). The order already on the wire still gets its answer.
    public func stopSending() {
        if sendGate.stopping.raise() { logger.notice("stopping: no new order will be sent") }
    }

    /// Whether `stopSending()` was called.
    public var isStopping: Bool { sendGate.stopping.isRaised }

    /// Sends `action` and follows the order to its end before returning (the loop's follower does the
    /// following instead: `send`, then `OrderFollower`).
    public func execute(_ action: StrategyAction, market: MarketSnapshot) async -> Outcome {
        switch await send(action, market: market) {
        case .done(let outcome):
            return outcome
        case .inFlight(var flight):
            flight = await follow(flight)
            return settle(flight)
        }
    }

    /// Steps 1 to 3 of `execute`: the order is sent and, unless the broker's answer already ends it, left
    /// in flight for the caller to follow (`advance`) and then `settle`.
    public func send(_ action: StrategyAction, market: MarketSnapshot) async -> Sending {
        let now = clock.now
        let intent: OrderIntent
        switch action {
        case .enter(let symbol, let quantity, let limitPrice, let reason):
            intent = OrderIntent(
                clientOrderID: OrderIntent.newClientOrderID(alertID: reason.alertID), symbol: symbol, side: .buy, quantity: quantity,
                limitPrice: limitPrice, createdAt: now, alertID: reason.alertID)
        case .exit(let symbol, _), .exitAtLimit(let symbol, _, _):
            guard let position = store.state.positions[symbol], position.quantity != 0 else { return .done(.skipped("no position in \(symbol)")) }
            var limit: Decimal?
            if case .exitAtLimit(_, let price, _) = action { limit = price }
            intent = OrderIntent(
                clientOrderID: OrderIntent.newClientOrderID(alertID: action.reason.alertID), symbol: symbol, side: position.quantity > 0 ? .sell : .buy,
                quantity: position.quantity.magnitude, limitPrice: limit, createdAt: now, alertID: action.reason.alertID,
                closeRule: action.reason.rule)
        }

        // 1. The intent is durable before anything else happens, in one write with its alert marked
        // processed: a crash at any instant leaves both or neither, so the alert is never acted on twice.
        do {
            try store.update { state in
                state.recordIntent(intent)
                if let alertID = intent.alertID { state.markProcessed(alertID, at: now) }
            }
        } catch {
            logger.error("order intent not saved; nothing sent", metadata: ["symbol": "\(intent.symbol)", "error": "\(error.message)"])
            return .done(.skipped("intent not saved: \(error.message)"))
        }
        // No order goes out unrecorded: the intent's journal line is on disk before the order can be sent.
        guard journalAppend(.intent(intent)) else { return .done(unrecorded(intent)) }
        bus?.publish(.orderIntent(intent))

        // 2. The send gate, then the guard (so a halted batch ends here, not as one guard rejection per order).
        if let refusal = gateRefusal(intent) { return .done(refusal) }
        let decision = gate.check(
            ProposedOrder(symbol: intent.symbol.rawValue, side: intent.side, quantity: intent.quantity, limitPrice: intent.limitPrice),
            in: guardContext(market: market, now: now))
        if let rejection = decision.rejection {
            forget(intent)
            return .done(.refusedByGuard(rejection))
        }

        // 3. The send gate once more, immediately before the order leaves; then submit, idempotently.
        if let refusal = gateRefusal(intent) { return .done(refusal) }
        let order: BrokerOrder
        do {
            order = try await router.submit(intent)
        } catch let error as OrderRefusal {
            return .done(refused(intent, reason: error.reason))
        } catch {
            logger.error("order outcome unknown; the intent stays pending for reconciliation", metadata: ["client_order_id": "\(intent.clientOrderID)", "error": "\(error.operatorText)"])
            brokerTrouble(error, while: "sending an order")
            return .done(.unresolved("\(error.operatorText)"))
        }
        let submission = OrderSubmission(clientOrderID: intent.clientOrderID, brokerOrderID: order.brokerOrderID, symbol: intent.symbol, side: intent.side, quantity: intent.quantity)
        journalAppend(.submitted(submission))
        bus?.publish(.orderSubmitted(submission))

        let flight = InFlightOrder(intent: intent, order: order, deadline: clock.now.advanced(by: settings.followTimeout))
        return order.status.isOpen ? .inFlight(flight) : .done(settle(flight))
    }

    /// Step 5 of `execute`, for an order followed to its end (or given up): what filled is applied, saved and
    /// journaled, as for every order; one still open stays pending for reconciliation.
    public func settle(_ flight: InFlightOrder) -> Outcome {
        let (order, intent) = (flight.order, flight.intent)
        // 4. Followed to its end, or left to reconciliation.
        if order.status.isOpen {
            return .unresolved("order \(order.brokerOrderID) still \(order.status.rawValue): left pending for reconciliation")
        }

        // 5. Apply what filled.
        if order.filledQuantity > 0, let price = order.filledAveragePrice {
            apply(order, price: price, intent: intent)
            return .filled(order)
        }
        if order.filledQuantity > 0 {
            // Filled, but the broker gave no price: never taken for a cancel. The intent stays pending, so
            // reconciliation adopts the order and journals its fill (with its price, or saying it is unknown).
            logger.warning(
                "an order filled without a price from the broker; left pending for reconciliation",
                metadata: ["client_order_id": "\(intent.clientOrderID)", "broker_order_id": "\(order.brokerOrderID)", "filled": "\(order.filledQuantity)"])
            return .unresolved("order \(order.brokerOrderID) filled \(order.filledQuantity) without a price: left pending for reconciliation")
        }
        // Settled meanwhile by a reconciliation, which journaled its end: not journaled twice.
        guard forget(intent) else { return .ended(order) }
        let ended = OrderRejection(clientOrderID: intent.clientOrderID, symbol: intent.symbol, side: intent.side, reason: order.status.rawValue)
        if order.status == .rejected {
            journalAppend(.brokerRejected(ended))
            bus?.publish(.orderRejected(ended))
        } else {
            journalAppend(.canceled(ended))
        }
        return .ended(order)
    }

    /// Asks about the order until it ends; cancels it if it rests longer than `followTimeout`. Gives up
    /// following — the order left open, its intent pending for reconciliation — when the broker refuses
    /// the credentials or breaks its contract, or cannot be asked `maxFollowFailures` times in a row:
    /// the engine must get back to its loop to see (and report) what is wrong.
    private func follow(_ submitted: InFlightOrder) async -> InFlightOrder {
        var flight = submitted
        while flight.order.status.isOpen {
            guard await prepareLook(&flight) else { return flight }
            do {
                try await clock.sleep(for: settings.followInterval)
            } catch {
                return flight
            }
            guard await look(&flight) else { return flight }
        }
        return flight
    }

    /// How often an order in flight is asked about.
    var followInterval: Duration { settings.followInterval }

    /// How long an order may rest before it is canceled.
    var followTimeout: Duration { settings.followTimeout }

    /// One round of following `flight`: `prepareLook`, then `look`. False when it is no longer followed:
    /// it ended, or it is given up (left open, its intent pending for reconciliation), and is to be `settle`d.
    public func advance(_ flight: inout InFlightOrder) async -> Bool {
        guard flight.order.status.isOpen, await prepareLook(&flight) else { return false }
        return await look(&flight)
    }

    /// Before asking about an open order: stopping → one last look, then no longer followed; past its
    /// deadline → canceled (once); past the grace after that → given up. False when no longer followed.
    private func prepareLook(_ flight: inout InFlightOrder) async -> Bool {
        let order = flight.order
        if isStopping {
            // One last look, without waiting, so a fill that already happened is applied now.
            if let latest = try? await router.order(brokerOrderID: order.brokerOrderID) { flight.order = latest }
            if flight.order.status.isOpen {
                logger.notice(
                    "stopping: no longer following an order; its intent stays pending for reconciliation",
                    metadata: ["client_order_id": "\(order.clientOrderID)", "broker_order_id": "\(order.brokerOrderID)", "status": "\(flight.order.status.rawValue)"])
            }
            return false
        }
        if clock.now >= flight.deadline, !flight.canceled {
            flight.canceled = true
            logger.notice("order rested too long; canceling", metadata: ["broker_order_id": "\(order.brokerOrderID)"])
            do {
                try await router.cancel(brokerOrderID: order.brokerOrderID)
            } catch {
                // Followed on as before: it may still fill, or end; past the grace it is left to reconciliation.
                brokerTrouble(error, while: "canceling an order that rested too long")
                logger.warning(
                    "could not cancel an order that rested too long; still following it",
                    metadata: ["broker_order_id": "\(order.brokerOrderID)", "error": "\(error.operatorText)", "class": "\(APIErrorClass(classifying: error).rawValue)"])
            }
        } else if clock.now >= flight.deadline.advanced(by: settings.followTimeout) {
            return false
        }
        return true
    }

    /// Asks the broker about the order once. False when it is no longer followed: ended, or given up after
    /// a persistent fault or `maxFollowFailures` failures in a row.
    private func look(_ flight: inout InFlightOrder) async -> Bool {
        do {
            flight.order = try await router.order(brokerOrderID: flight.order.brokerOrderID)
            flight.failures = 0
        } catch {
            if Task.isCancelled { return false }
            flight.failures += 1
            brokerTrouble(error, while: "following an order")
            let persistent = APIErrorClass(classifying: error).failureReason != nil
            guard !persistent, flight.failures < settings.maxFollowFailures else {
                logger.warning(
                    "could not ask about an order; left pending for reconciliation",
                    metadata: ["broker_order_id": "\(flight.order.brokerOrderID)", "error": "\(error.operatorText)", "failures": "\(flight.failures)"])
                return false
            }
            logger.warning("could not ask about an order; will ask again", metadata: ["broker_order_id": "\(flight.order.brokerOrderID)", "error": "\(error.operatorText)"])
        }
        return flight.order.status.isOpen
    }

    /// A transient failure (after the requester's retries) makes `trading-bot` DEGRADED now; the engine's
    /// next tick that reads the broker clears it, or turns a persistent fault into its FAILED and hold.
    private func brokerTrouble(_ error: any Error, while doing: String) {
        let errorClass = APIErrorClass(classifying: error)
        guard errorClass.isTransient else { return }
        health?.report(.tradingBot, from: .service, status: .degraded, detail: "\(errorClass.brokerTrouble) while \(doing)", error: error)
    }

    private func apply(_ order: BrokerOrder, price: Decimal, intent: OrderIntent) {
        let now = clock.now
        let symbol = intent.symbol
        var changes: [FillAccounting.Change] = []
        var applied = false
        do {
            try store.update { state in
                // Resolved by a reconciliation while it was in flight: its fill is already in the broker's
                // positions, which the reconciliation took, and in the journal, which it wrote.
                guard state.pendingIntents.contains(where: { $0.clientOrderID == intent.clientOrderID }) else { return }
                applied = true
                let result = FillAccounting.apply(side: intent.side, quantity: order.filledQuantity, price: price, to: state.positions[symbol], symbol: symbol, at: now)
                state.positions[symbol] = result.position
                state.realizedPnL += result.realized
                state.lastTradeAt[symbol] = now
                state.removeIntent(clientOrderID: intent.clientOrderID)
                changes = result.changes
            }
        } catch {
            // The store keeps the change in memory, holds trading HALTED and retries the write.
            logger.error("fill applied in memory but not yet saved", metadata: ["symbol": "\(symbol)", "error": "\(error.message)"])
        }
        guard applied else {
            logger.info("fill already settled by reconciliation; not applied or journaled again", metadata: ["client_order_id": "\(intent.clientOrderID)"])
            return
        }
        let fill = OrderFill(clientOrderID: intent.clientOrderID, symbol: symbol, side: intent.side, quantity: order.filledQuantity, price: price, isComplete: order.status == .filled)
        journalAppend(.filled(fill))
        bus?.publish(.orderFilled(fill))
        for change in changes {
            switch change {
            case .opened(let position): bus?.publish(.positionOpened(position))
            case .changed(let position): bus?.publish(.positionChanged(position))
            case .closed(var close):
                close.rule = intent.closeRule
                logger.notice(
                    "position closed: \(close.rule?.words ?? "rule not known")",
                    metadata: [
                        "symbol": "\(close.symbol)", "quantity": "\(close.closedQuantity)", "price": "\(close.exitPrice)",
                        "realized_pnl": "\(close.realizedPnL)", "rule": "\(close.rule?.rawValue ?? "-")", "alert_id": "\(intent.alertID ?? "-")",
                    ])
                bus?.publish(.positionClosed(close))
            }
        }
    }

    /// The send gate's refusal of `intent`, carried out (forgotten, journaled as canceled, published,
    /// logged), or nil when it may be sent.
    private func gateRefusal(_ intent: OrderIntent) -> Outcome? {
        guard case .refuse(let reason, let endsBatch) = sendGate.verdict(for: intent) else { return nil }
        let outcome = notSent(intent, reason: reason, endsBatch: endsBatch)
        logger.notice("order not sent", metadata: ["symbol": "\(intent.symbol)", "side": "\(intent.side.rawValue)", "reason": "\(reason)"])
        return outcome
    }

    /// The intent's journal line could not be written, so the order is not sent: forgotten, journaled as
    /// canceled (the journal keeps both lines and writes them once it can), published, logged. It ends the
    /// batch: the journal holds trading HALTED (`FAILED_JOURNAL`) until it writes again.
    private func unrecorded(_ intent: OrderIntent) -> Outcome {
        let outcome = notSent(intent, reason: "its journal line could not be written (\(HaltCode.journalWrite))", endsBatch: true)
        logger.error("order not sent: its intent could not be journaled", metadata: ["symbol": "\(intent.symbol)", "side": "\(intent.side.rawValue)", "client_order_id": "\(intent.clientOrderID)"])
        return outcome
    }

    /// `intent` will not be sent: forgotten, journaled as canceled with `reason`, published.
    private func notSent(_ intent: OrderIntent, reason: String, endsBatch: Bool) -> Outcome {
        forget(intent)
        let rejection = OrderRejection(clientOrderID: intent.clientOrderID, symbol: intent.symbol, side: intent.side, reason: reason)
        journalAppend(.canceled(rejection))
        bus?.publish(.orderRejected(rejection))
        return .notSent(reason: reason, endsBatch: endsBatch)
    }

    private func refused(_ intent: OrderIntent, reason: String) -> Outcome {
        forget(intent)
        let rejection = OrderRejection(clientOrderID: intent.clientOrderID, symbol: intent.symbol, side: intent.side, reason: reason)
        journalAppend(.brokerRejected(rejection))
        bus?.publish(.orderRejected(rejection))
        logger.warning("order refused by the broker", metadata: ["symbol": "\(intent.symbol)", "reason": "\(reason)"])
        return .refusedByBroker(reason)
    }

    /// The intent will never be sent (or has ended): it leaves the pending list. False when it was no
    /// longer there (a reconciliation settled it).
    @discardableResult
    private func forget(_ intent: OrderIntent) -> Bool {
        var removed = false
        do {
            try store.update { removed = $0.removeIntent(clientOrderID: intent.clientOrderID) != nil }
        } catch {
            logger.error("could not save the removal of an intent", metadata: ["client_order_id": "\(intent.clientOrderID)", "error": "\(error.message)"])
        }
        return removed
    }

    /// Whether the line is on disk; if not, the journal keeps it to write later and holds trading.
    @discardableResult
    private func journalAppend(_ record: OrderJournalEntry.Record) -> Bool {
        do {
            try journal.append(record)
            return true
        } catch {
            logger.error("order journal write failed; the line is kept and written once the journal can", metadata: ["event": "\(record.eventName)", "error": "\(error.operatorText)"])
            return false
        }
    }

    func guardContext(market: MarketSnapshot, now: Timestamp) -> GuardContext {
        let state = store.state
        var positions: [Symbol: HeldPosition] = [:]
        for (symbol, position) in state.positions {
            let mark = market.quotes[symbol]?.mid ?? position.averageEntryPrice
            positions[symbol] = HeldPosition(quantity: position.quantity, marketValue: position.quantity * mark)
        }
        return GuardContext(
            equity: market.account.equity, buyingPower: market.account.buyingPower, positions: positions, quotes: market.quotes,
            lastTradeAt: state.lastTradeAt, tradingMode: state.tradingState.mode, now: now)
    }
}
