import Engine
import Foundation
import Logging
import PaperExchange
import Persistence
import Primitives
import RiskGuard
import Strategies
import TradingModel

/// Runs a recording through the same code as live trading — the strategy, the trade guard (through the
/// order gate), the order executor and the state store — with a simulated clock and the paper exchange's
/// book as the broker, in process. The state and the order journal live in `directory` (a temporary
/// folder); the book starts a fresh account.
///
/// Time moves with the recording: every event sets the clock to its time; each second of recording that
/// has events ends with one tick, as the engine's loop: orders in flight are looked at (and canceled once
/// they rest too long), the strategy's exits on the positions, then the tick's new alerts (stale and
/// opposite ones sifted out as the engine does), each action carried out by the executor.
public struct ReplaySession: Sendable {
    public let settings: ReplaySettings

    public init(settings: ReplaySettings) {
        self.settings = settings
    }

    /// Replays `recording`; `progress`, when given, hears the events done and the total, about every half
    /// percent and at the end.
    public func run(
        _ recording: RecordingReader.Recording, directory: String, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async throws -> ReplayResult {
        let events = recording.events
        var result = ReplayResult()
        result.quotes = recording.quoteCount
        result.alerts = recording.alertCount
        result.first = events.first?.time
        result.last = events.last?.time
        guard let start = events.first?.time else { return result }

        let logger = Logger(label: "replay") { _ in SwiftLogNoOpLogHandler() }
        let clock = SimulatedClock(start: start)
        let store = try StateStore(directory: directory + "/state", clock: clock, logger: logger)
        let journal = try OrderJournal(path: directory + "/logs/orders.jsonl", clock: clock, logger: logger)
        let router = BookRouter(symbols: recording.symbols, startingCash: settings.startingCash, session: recording.session, clock: clock)
        let gate = OrderGate(tradeGuard: TradeGuard(limits: settings.limits), journal: journal, bus: nil, logger: logger)
        let executor = OrderExecutor(store: store, router: router, gate: gate, journal: journal, bus: nil, clock: clock, logger: logger)
        var loop = Loop(
            store: store, router: router, executor: executor, strategy: FlowFollowingStrategy(settings: settings.strategy), clock: clock,
            maxSignalAge: settings.maxSignalAge)
        loop.result = result
        loop.result.startingEquity = router.account().equity
        loop.peak = loop.result.startingEquity

        let tick = Self.nanoseconds(settings.tickInterval)
        var index = 0
        let reportEvery = max(1, events.count / 200)
        var nextReport = reportEvery
        while index < events.count {
            if let progress, index >= nextReport {
                progress(index, events.count)
                nextReport = index + reportEvery
            }
            let slotEnd = (Self.nanoseconds(events[index].time.sinceEpoch) / tick + 1) * tick
            while index < events.count, Self.nanoseconds(events[index].time.sinceEpoch) < slotEnd {
                loop.apply(events[index])
                index += 1
            }
            await loop.tick()
        }
        loop.finish()
        progress?(events.count, events.count)
        return loop.result
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// The replay's loop state: what the engine's loop holds, and the tally.
    struct Loop {
        let store: StateStore
        let router: BookRouter
        let executor: OrderExecutor
        let strategy: FlowFollowingStrategy
        let clock: SimulatedClock
        let maxSignalAge: Duration
        var quotes: [Symbol: Quote] = [:]
        var pending: [FlowSignal] = []
        var seenAlerts: Set<String> = []
        var inFlight: [(flight: InFlightOrder, action: StrategyAction)] = []
        var entries: [Symbol: (time: Timestamp, price: Decimal, alertID: String?)] = [:]
        var realized: Decimal = 0
        var peak: Decimal = 0
        var result = ReplayResult()

        init(store: StateStore, router: BookRouter, executor: OrderExecutor, strategy: FlowFollowingStrategy, clock: SimulatedClock, maxSignalAge: Duration) {
            self.store = store
            self.router = router
            self.executor = executor
            self.strategy = strategy
            self.clock = clock
            self.maxSignalAge = maxSignalAge
        }

        mutating func apply(_ event: MarketEvent) {
            clock.set(event.time)
            switch event {
            case .quote(let quote):
                quotes[quote.symbol] = quote
                router.pin(quote)
            case .flow(let signal, _):
                // An alert seen twice (polled twice) is acted on once, as the engine's processed list does.
                if seenAlerts.insert(signal.id).inserted { pending.append(signal) }
            }
        }

        mutating func tick() async {
            // Orders in flight: looked at once a tick, canceled once they rest past the executor's timeout.
            var still: [(flight: InFlightOrder, action: StrategyAction)] = []
            for var entry in inFlight {
                if await executor.advance(&entry.flight) {
                    still.append(entry)
                } else {
                    record(executor.settle(entry.flight), of: entry.action)
                }
            }
            inFlight = still

            let account = router.account()
            track(equity: account.equity, exposure: exposure())
            let market = MarketSnapshot(account: account, quotes: quotes)
            let context = StrategyContext(
                positions: store.state.positions, quotes: quotes, marketOpen: router.marketIsOpen, now: clock.now)
            await perform(strategy.actions(onTickIn: context), market: market)
            guard !pending.isEmpty else { return }
            let batch = SignalBatch(pending, now: context.now, maxAge: maxSignalAge, isActionable: strategy.isActionable)
            pending = []
            for skip in batch.skipped { result.skippedSignals[skip.reason.rawValue, default: 0] += 1 }
            for signal in batch.signals {
                // A call the strategy would act on, for a symbol the recording has not quoted: the book cannot
                // price it, so nothing is entered (as live, where no quote means no entry); counted, not hidden.
                if signal.kind == .call, strategy.isActionable(signal), quotes[signal.symbol] == nil {
                    result.skippedSignals["no_quote", default: 0] += 1
                }
                var current = context
                current.positions = store.state.positions
                await perform(strategy.actions(for: signal, in: current).map { $0.caused(by: signal.id) }, market: market)
            }
        }

        private mutating func perform(_ actions: [StrategyAction], market: MarketSnapshot) async {
            for action in actions {
                if case .enter = action, store.tradingState.mode != .active { continue }
                // One order per symbol at a time, as the engine's loop.
                guard !inFlight.contains(where: { $0.action.symbol == action.symbol }) else { continue }
                switch await executor.send(action, market: market) {
                case .inFlight(let flight):
                    result.ordersSent += 1
                    inFlight.append((flight, action))
                case .done(let outcome):
                    if case .filled = outcome { result.ordersSent += 1 }
                    if case .ended = outcome { result.ordersSent += 1 }
                    if case .refusedByBroker = outcome { result.ordersSent += 1 }
                    record(outcome, of: action)
                }
            }
        }

        private mutating func record(_ outcome: OrderExecutor.Outcome, of action: StrategyAction) {
            let now = clock.now
            switch outcome {
            case .filled(let order):
                result.ordersFilled += 1
                let total = store.state.realizedPnL
                let pnl = total - realized
                realized = total
                let price = order.filledAveragePrice ?? 0
                if order.side == .buy {
                    entries[order.symbol] = (now, price, action.reason.alertID)
                } else if let entry = entries.removeValue(forKey: order.symbol) {
                    result.trades.append(
                        ReplayResult.Trade(
                            symbol: order.symbol, quantity: order.filledQuantity, entryTime: entry.time, entryPrice: entry.price, exitTime: now,
                            exitPrice: price, pnl: pnl, rule: action.reason.rule?.words ?? action.reason.text, alertID: entry.alertID))
                }
            case .refusedByGuard(let rejection):
                result.rejections[rejection.check, default: 0] += 1
                result.rejectionsBySymbol[action.symbol, default: [:]][rejection.check, default: 0] += 1
                if case .enter = action {
                    result.rejectedEntries.append(
                        ReplayResult.RejectedEntry(check: rejection.check, symbol: action.symbol, alertID: action.reason.alertID, time: now))
                }
            case .refusedByBroker:
                result.brokerRefusals += 1
            case .ended:
                result.ordersEnded += 1
            case .skipped, .unresolved, .notSent:
                break
            }
        }

        private mutating func track(equity: Decimal) {
            peak = max(peak, equity)
            result.maxDrawdown = max(result.maxDrawdown, peak - equity)
            result.endingEquity = equity
        }

        /// One tick's equity and exposure: the drawdown, the exposure's peak and mean, the curve's point.
        private mutating func track(equity: Decimal, exposure: Decimal) {
            track(equity: equity)
            let now = clock.now
            result.ticks += 1
            result.exposureSum += exposure
            if exposure > result.peakExposure {
                result.peakExposure = exposure
                result.peakExposureTime = now
            }
            let drawdown = peak - equity
            let point = ReplayResult.CurvePoint(time: now, equity: equity, drawdown: drawdown, exposure: exposure)
            if let bucket = curveBucket(now), let last = result.curve.last, curveBucket(last.time) == bucket {
                result.curve[result.curve.count - 1] = ReplayResult.CurvePoint(
                    time: now, equity: equity, drawdown: max(last.drawdown, drawdown), exposure: max(last.exposure, exposure))
            } else {
                result.curve.append(point)
            }
        }

        /// The stretch of the recording `time` falls in: the span cut into `ReplayResult.curvePoints` equal parts.
        private func curveBucket(_ time: Timestamp) -> Int64? {
            guard let first = result.first, let last = result.last else { return nil }
            let span = max(Int64(1), ReplaySession.nanoseconds(last.sinceEpoch) - ReplaySession.nanoseconds(first.sinceEpoch))
            let width = max(Int64(1), span / Int64(ReplayResult.curvePoints - 1))
            return (ReplaySession.nanoseconds(time.sinceEpoch) - ReplaySession.nanoseconds(first.sinceEpoch)) / width
        }

        /// The positions' value at the mid (the entry price where no quote was seen), long and short alike.
        private func exposure() -> Decimal {
            store.state.positions.values.reduce(Decimal(0)) { total, position in
                let price = quotes[position.symbol]?.mid ?? position.averageEntryPrice
                return total + (position.quantity * price).magnitude
            }
        }

        mutating func finish() {
            track(equity: router.account().equity)
            result.realizedPnL = store.state.realizedPnL
            result.open = store.state.positions.values.sorted { $0.symbol < $1.symbol }.map { position in
                ReplayResult.OpenPosition(
                    symbol: position.symbol, quantity: position.quantity, entryPrice: position.averageEntryPrice, lastMid: quotes[position.symbol]?.mid)
            }
        }
    }
}

extension StrategyAction {
    var symbol: Symbol {
        switch self {
        case .enter(let symbol, _, _, _), .exit(let symbol, _), .exitAtLimit(let symbol, _, _): symbol
        }
    }
}
