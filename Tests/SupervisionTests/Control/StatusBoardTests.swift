import Foundation
import Persistence
import Primitives
import Supervision
import TestSupport
import Testing
import TradingModel

/// The status board folds the bus into the snapshot a control client gets first.
struct StatusBoardTests {
    private let clock = ManualClock()
    private let bus: EventBus
    private let board: StatusBoard

    init() {
        bus = EventBus(clock: clock)
        board = StatusBoard(bus: bus, clock: clock, broker: "SIM", chaosLocked: false)
    }

    private func fold(_ kinds: [EventKind]) {
        for kind in kinds { board.fold(bus.publish(kind)) }
    }

    private static let aapl = Symbol("AAPL")!
    private static let msft = Symbol("MSFT")!

    private static func submission(_ id: String, _ symbol: Symbol = aapl) -> OrderSubmission {
        OrderSubmission(clientOrderID: id, brokerOrderID: "b-" + id, symbol: symbol, side: .buy, quantity: 1)
    }

    /// An order is open from its submission until a complete fill or a rejection; a partial fill keeps it open.
    @Test func openOrdersFollowTheirLifecycle() {
        fold([.orderSubmitted(Self.submission("a")), .orderSubmitted(Self.submission("b")), .orderSubmitted(Self.submission("c"))])
        fold([.orderFilled(OrderFill(clientOrderID: "a", symbol: Self.aapl, side: .buy, quantity: 1, price: 10, isComplete: false))])
        #expect(board.snapshot(holds: []).openOrders.map(\.clientOrderID) == ["a", "b", "c"])
        fold([
            .orderFilled(OrderFill(clientOrderID: "a", symbol: Self.aapl, side: .buy, quantity: 1, price: 10, isComplete: true)),
            .orderRejected(OrderRejection(clientOrderID: "c", symbol: Self.aapl, side: .buy, reason: "canceled")),
        ])
        #expect(board.snapshot(holds: []).openOrders.map(\.clientOrderID) == ["b"])
    }

    /// Positions are kept sorted by symbol, updated in place, and removed when closed.
    @Test func positionsFollowOpenChangeClose() {
        let time = clock.now
        fold([
            .positionOpened(Position(symbol: Self.msft, quantity: 2, averageEntryPrice: 300, openedAt: time)),
            .positionOpened(Position(symbol: Self.aapl, quantity: 1, averageEntryPrice: 180, openedAt: time)),
            .positionChanged(Position(symbol: Self.msft, quantity: 5, averageEntryPrice: 301, openedAt: time)),
        ])
        var snapshot = board.snapshot(holds: [])
        #expect(snapshot.positions.map(\.symbol) == [Self.aapl, Self.msft])
        #expect(snapshot.positions.last?.quantity == 5)
        fold([.positionClosed(PositionClose(symbol: Self.aapl, closedQuantity: 1, exitPrice: 181, realizedPnL: 1))])
        snapshot = board.snapshot(holds: [])
        #expect(snapshot.positions.map(\.symbol) == [Self.msft])
    }

    /// At most 200 recent events (quotes left out, kept as the latest quote per symbol) and 50 rejections, newest first.
    @Test func recentEventsAndRejectionsAreBounded() {
        for index in 0..<260 {
            fold([.guardRejected(GuardRejection(symbol: "AAPL", side: .buy, quantity: Decimal(index), check: "cooldown", message: "", limit: "", actual: ""))])
            fold([.quotes([Quote(symbol: Self.aapl, bid: Decimal(index), ask: Decimal(index + 1), timestamp: clock.now)])])
        }
        let snapshot = board.snapshot(holds: [])
        #expect(snapshot.recentEvents.count == ControlSnapshot.eventLimit)
        #expect(!snapshot.recentEvents.contains { if case .quotes = $0.kind { true } else { false } })
        #expect(snapshot.recentEvents.map(\.sequence) == snapshot.recentEvents.map(\.sequence).sorted())
        #expect(snapshot.rejections.count == ControlSnapshot.rejectionLimit)
        #expect(snapshot.rejections.first?.quantity == 259)
        #expect(snapshot.quotes == [Quote(symbol: Self.aapl, bid: 259, ask: 260, timestamp: clock.now)])
        #expect(snapshot.sequence == 520)
    }

    /// Trading state, health, services, chaos and account are the latest reported; holds are the ones given.
    @Test func latestStateWins() {
        let time = clock.now
        board.seed(
            services: [ServiceHealth(name: .tradingBot, status: .ok, isCritical: true, since: time)], overall: OverallHealth(status: .ok, reason: nil),
            chaosOn: [.latency])
        fold([
            .tradingState(TradingState(mode: .halted, reason: "kill switch", actor: .system, since: time)),
            .serviceStatus(ServiceHealth(name: .tradingBot, status: .degraded, isCritical: true, since: time)),
            .serviceStatus(ServiceHealth(name: .uwDaemon, status: .ok, isCritical: true, since: time)),
            .overallHealth(OverallHealth(status: .degraded, reason: nil)),
            .chaosMode(.alpacaDown, enabled: true), .chaosMode(.latency, enabled: false),
            .account(AccountSnapshot(equity: 10, cash: 5, buyingPower: 2)),
        ])
        let hold = TradingStateLedger.Hold(code: .killSwitch, reason: "state/HALT exists", actor: .system, since: time)
        let snapshot = board.snapshot(holds: [hold])
        #expect(snapshot.trading?.mode == .halted)
        #expect(snapshot.services.map(\.name) == [.tradingBot, .uwDaemon])
        #expect(snapshot.services.first?.status == .degraded)
        #expect(snapshot.overall == OverallHealth(status: .degraded, reason: nil))
        #expect(snapshot.chaosOn == [.alpacaDown])
        #expect(snapshot.account?.equity == 10)
        #expect(snapshot.holds == [hold])
        #expect(snapshot.broker == "SIM")
    }

    /// `run()` folds what the bus publishes, from the moment the board was made.
    @Test func runFoldsTheBus() async throws {
        let running = Task { try await board.run() }
        defer { running.cancel() }
        bus.publish(.tradingState(TradingState(mode: .reducing, reason: "flatten", actor: .operator, since: clock.now)))
        let deadline = ContinuousClock.now + .seconds(10)
        while board.snapshot(holds: []).trading?.mode != .reducing, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(board.snapshot(holds: []).trading?.mode == .reducing)
    }
}
