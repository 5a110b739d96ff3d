@testable import Engine
import Foundation
@testable import Persistence
@testable import Primitives
@testable import Strategies
import TestSupport
import TradingModel

/// A whole trading loop over one folder: store (rebuilt from the journal when it lost its signals, as the
/// service's is), journal, in-memory broker and router, the flow-following strategy, a scripted flow feed.
/// Made again on the same folder, at a later time, it is a restart.
struct EngineFixture {
    let parts: ExecutionFixture
    let broker = InMemoryBroker()
    let quotes: FixedQuotes
    let flow = ScriptedFlowSource()
    let inbox = SignalInbox()
    let feed: FlowFeed
    let engine: TradingEngine
    var clock: ManualClock { parts.clock }
    var store: StateStore { parts.store }
    var router: InMemoryOrderRouter { parts.router }
    var aapl: Symbol { parts.aapl }
    let msft = Symbol("MSFT")!

    init(
        directory: String, start: Timestamp = ExecutionFixture.start, engineSettings: TradingEngine.Settings = .init(),
        followTimeout: Duration = .seconds(2), health: (any HealthReporter)? = nil
    ) throws {
        parts = try ExecutionFixture(directory: directory, start: start, history: true, followTimeout: followTimeout)
        let (clock, bus, store, log) = (parts.clock, parts.bus, parts.store, parts.log)
        quotes = FixedQuotes(clock: clock)
        quotes.set(parts.aapl, bid: Decimal(string: "99.99")!, ask: Decimal(string: "100.01")!)
        quotes.set(msft, bid: Decimal(string: "99.99")!, ask: Decimal(string: "100.01")!)
        let reconciler = Reconciler(store: store, broker: broker, clock: clock, bus: bus, journal: parts.journal, logger: log.logger)
        let engineParts = TradingEngine.Parts(
            store: store, reconciler: reconciler, controller: TradingController(store: store, reconciler: reconciler, logger: log.logger),
            executor: parts.executor, strategy: FlowFollowingStrategy(), broker: broker, quotes: quotes, router: parts.router, inbox: inbox,
            checkCompatibility: { .init(reason: nil, detail: "all endpoints ok") })
        engine = TradingEngine(parts: engineParts, bus: bus, clock: clock, logger: log.logger, settings: engineSettings, health: health)
        feed = FlowFeed(source: flow, store: store, inbox: inbox, clock: clock, logger: log.logger)
    }

    /// A strong alert (premium 200 000, 80 % at the ask) on `symbol`, made `ageSeconds` ago.
    func signal(_ id: String, _ kind: FlowSignal.Kind = .call, symbol: Symbol? = nil, ageSeconds: Int64 = 0) -> FlowSignal {
        FlowSignal(
            id: id, symbol: symbol ?? aapl, kind: kind, totalPremium: 200_000, askSideShare: Decimal(string: "0.8")!,
            createdAt: clock.now.advanced(by: .seconds(-ageSeconds)))
    }

    /// Polls the feed, then ticks once.
    func pollAndTick() async throws {
        try await feed.poll()
        try await tick()
    }

    func tick() async throws {
        let engine = engine
        try await drive(clock) {
                await engine.tick()
                await engine.followOrdersInFlight()
            }
    }

    /// Every entry of the journal file.
    func journal() throws -> [OrderJournalEntry] {
        try parts.journal.read().entries
    }

    /// The alert ids the journal's intents name, in order.
    func journaledAlertIDs() throws -> [String] {
        try journal().compactMap { entry in
            if case .intent(let intent) = entry.record { return intent.alertID }
            return nil
        }
    }
}
