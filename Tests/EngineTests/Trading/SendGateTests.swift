import Engine
import Foundation
import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

struct SendGateTests {
    private static let aapl = Symbol("AAPL")!

    private static func intent(_ side: OrderSide, _ quantity: Decimal) -> OrderIntent {
        OrderIntent(clientOrderID: "bw-gate", symbol: aapl, side: side, quantity: quantity, limitPrice: nil, createdAt: StateSamples.start)
    }

    /// ACTIVE with no kill switch and no stop: the order may be sent.
    @Test func activeSends() throws {
        try withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            let gate = SendGate(store: store, logger: LogCapture().logger)
            #expect(gate.verdict(for: Self.intent(.buy, 1)) == .send)
        }
    }

    /// HALTED (the operator's or a hold's) sends nothing, and ends the batch.
    @Test func haltedRefusesAndEndsTheBatch() throws {
        try withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            let gate = SendGate(store: store, logger: LogCapture().logger)
            try store.choose(.halted, reason: "halted by the operator")
            guard case .refuse(let reason, let endsBatch) = gate.verdict(for: Self.intent(.sell, 1)) else {
                Issue.record("a halted gate let an order through")
                return
            }
            #expect(reason.hasPrefix("not sent: trading HALTED"))
            #expect(endsBatch)
            try store.choose(.active, reason: nil)
            try store.hold(.reconciliation, reason: "FAILED_RECONCILIATION: broker down")
            #expect(gate.verdict(for: Self.intent(.buy, 1)) != .send, "a hold halts as the operator's choice does")
        }
    }

    /// REDUCING sends only an order that shrinks a position; any other is refused without ending the batch.
    @Test func reducingSendsOnlyShrinkingOrders() throws {
        try withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            let gate = SendGate(store: store, logger: LogCapture().logger)
            try store.update { $0.positions[Self.aapl] = Position(symbol: Self.aapl, quantity: 3, averageEntryPrice: 100, openedAt: StateSamples.start) }
            try store.choose(.reducing, reason: "reduce-only")
            #expect(gate.verdict(for: Self.intent(.sell, 3)) == .send)
            #expect(gate.verdict(for: Self.intent(.sell, 2)) == .send)
            let refusal = SendGate.Verdict.refuse(reason: "not sent: trading REDUCING and this order does not shrink a position", endsBatch: false)
            #expect(gate.verdict(for: Self.intent(.sell, 4)) == refusal, "a flip grows the other side")
            #expect(gate.verdict(for: Self.intent(.buy, 1)) == refusal)
            let other = OrderIntent(clientOrderID: "bw-x", symbol: Symbol("MSFT")!, side: .sell, quantity: 1, limitPrice: nil, createdAt: StateSamples.start)
            #expect(gate.verdict(for: other) == refusal, "no position to shrink")
        }
    }

    /// The kill-switch file present: nothing is sent, the batch ends, and the halt is held at once and saved.
    @Test func killSwitchFileIsHeldAtOnce() throws {
        try withTemporaryDirectory { directory in
            let log = LogCapture()
            let store = try StateSamples.openStore(directory, log: log)
            let gate = SendGate(store: store, logger: log.logger)
            #expect(FileManager.default.createFile(atPath: directory + "/" + KillSwitch.fileName, contents: nil))
            guard case .refuse(let reason, endsBatch: true) = gate.verdict(for: Self.intent(.buy, 1)) else {
                Issue.record("the kill switch let an order through")
                return
            }
            #expect(reason.contains("kill switch"))
            #expect(store.tradingState.mode == .halted)
            #expect(StateSamples.decodedState(in: directory)?.tradingState.reason == KillSwitch.reason)
            #expect(log.contains("kill switch engaged"))
        }
    }

    /// Once the stop latch is raised nothing new is sent, and the batch ends.
    @Test func stoppingRefuses() throws {
        try withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            let latch = StopLatch()
            let gate = SendGate(store: store, logger: LogCapture().logger, stopping: latch)
            #expect(gate.verdict(for: Self.intent(.buy, 1)) == .send)
            #expect(latch.raise())
            #expect(!latch.raise(), "raised once")
            #expect(gate.verdict(for: Self.intent(.buy, 1)) == .refuse(reason: "not sent: Bulwark is stopping", endsBatch: true))
        }
    }
}
