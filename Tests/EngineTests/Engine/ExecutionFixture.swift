@testable import Engine
import Foundation
@testable import Persistence
@testable import Primitives
@testable import RiskGuard
@testable import Settings
import TestSupport
@testable import TradingModel

/// The parts every engine test needs: a manual clock, a bus with a subscriber, a state store, an order
/// journal, an in-memory router and an executor behind the guard with the default limits.
struct ExecutionFixture {
    static let defaultLimits = GuardLimits(BulwarkConfiguration.RiskLimits(
        maxPositionSizeUSD: 500, maxNotionalPerOrder: 2000, maxPortfolioExposurePct: Decimal(string: "0.3")!,
        maxConcentrationPerSymbolPct: Decimal(string: "0.15")!, maxPriceDeviationPct: Decimal(string: "0.05")!,
        minCooldownMinutes: 5, quoteMaxAgeSeconds: 60))

    static let start = Timestamp(rfc3339: "2026-01-05T15:00:00Z")!

    let clock: ManualClock
    let bus: EventBus
    let events: EventSubscription
    let log = LogCapture()
    let store: StateStore
    let journal: OrderJournal
    let router = InMemoryOrderRouter()
    let executor: OrderExecutor
    let aapl = Symbol("AAPL")!

    /// `history`: the store rebuilds a state that lost its record of signals from the journal, as the
    /// service's does. `start`: the clock's time (a later one for a restart).
    /// `followTimeout`: how long an order may rest before it is canceled.
    init(
        directory: String, limits: GuardLimits = Self.defaultLimits, start: Timestamp = Self.start, history: Bool = false,
        followTimeout: Duration = .seconds(2)
    ) throws {
        let clock = ManualClock(now: start)
        self.clock = clock
        bus = EventBus(clock: clock)
        events = bus.subscribe(name: "test", bufferSize: 10_000)
        let journal = try OrderJournal(path: directory + "/orders.jsonl", clock: clock, logger: log.logger)
        self.journal = journal
        var source: StateStore.HistorySource?
        if history { source = { @Sendable in journal.signalHistory() } }
        store = try StateStore(directory: directory + "/state", clock: clock, bus: bus, logger: log.logger, history: source)
        let gate = OrderGate(tradeGuard: TradeGuard(limits: limits), journal: journal, bus: bus, logger: log.logger)
        executor = OrderExecutor(
            store: store, router: router, gate: gate, journal: journal, bus: bus, clock: clock, logger: log.logger,
            settings: .init(followInterval: .milliseconds(100), followTimeout: followTimeout))
    }
}
