import Foundation
@testable import Primitives
@testable import Strategies
import TestSupport
import Testing
@testable import TradingModel
import Engine
import Persistence

/// A signal is acted on at most once, whatever happens to the state file or the process.
struct SignalOnceTests {
    /// After trades, a corrupt state file and a restart, the healed state keeps the processed alerts and
    /// the cooldowns (rebuilt from the journal): the old alert is not bought again, a new one waits out
    /// the cooldown, and no alert id appears twice among the journal's intents.
    @Test func healAfterTradesKeepsProcessedAlertsAndCooldowns() async throws {
        try await withTemporaryDirectory { directory in
            let first = try EngineFixture(directory: directory)
            await first.engine.start()
            first.flow.add(first.signal("alert-nvda"))
            try await first.pollAndTick()
            #expect(first.router.submitted.count == 1)
            first.clock.advance(by: .seconds(5))
            // The operator flattens: the position is closed.
            first.engine.flattenAll()
            try await first.tick()
            #expect(first.router.submitted.count == 2)
            #expect(first.store.state.positions.isEmpty)

            // The state file is corrupted; the process restarts 40 s after the buy.
            try Array("{ invalid json }".utf8).write(to: directory + "/state/trading_state.json")
            let second = try EngineFixture(directory: directory, start: first.clock.now.advanced(by: .seconds(35)))
            guard case .healed = second.store.loadReport.outcome else {
                Issue.record("the state was not healed: \(second.store.loadReport.outcome)")
                return
            }
            #expect(second.store.state.hasProcessed("alert-nvda"))
            #expect(second.store.state.lastTradeAt[second.aapl] == first.store.state.lastTradeAt[first.aapl])
            await second.engine.start()
            #expect(second.store.tradingState.mode == .active)
            // The feed still lists the old alert (40 s old), and a new one arrives for the same symbol.
            second.flow.add(FlowSignal(
                id: "alert-nvda", symbol: second.aapl, kind: .call, totalPremium: 200_000, askSideShare: Decimal(string: "0.8")!,
                createdAt: ExecutionFixture.start))
            second.flow.add(second.signal("alert-new"))
            try await second.pollAndTick()

            #expect(second.router.submitted.isEmpty, "\(second.router.submitted)")
            let rejected = try second.journal().compactMap { entry -> GuardRejection? in
                if case .guardRejected(let rejection) = entry.record { return rejection }
                return nil
            }
            #expect(rejected.map(\.check).contains("cooldown"), "\(rejected)")
            let ids = try second.journaledAlertIDs()
            #expect(ids == ["alert-nvda", "alert-new"], "each alert once: \(ids)")
        }
    }

    /// A crash just as an order leaves (the disk as it was at the submit) never sends it twice and never
    /// loses the mark: whether or not the broker got the order, the restarted process skips the alert.
    @Test func crashBetweenMarkingAndSendingNeverSendsTwice() async throws {
        try await withTemporaryDirectory { directory in
            let first = try EngineFixture(directory: directory + "/run")
            await first.engine.start()
            let crashes = [directory + "/lost", directory + "/arrived"]
            first.router.afterSubmit { _ in
                // The process dies here: what is on disk is all the next one has.
                for crash in crashes { try? copyFolder(directory + "/run", to: crash) }
            }
            first.flow.add(first.signal("alert-1"))
            try await first.pollAndTick()
            let sent = try #require(first.router.submitted.first)

            for (index, crash) in crashes.enumerated() {
                let restarted = try EngineFixture(directory: crash, start: first.clock.now.advanced(by: .seconds(10)))
                #expect(restarted.store.state.hasProcessed("alert-1"), "the mark was saved with the intent")
                if index == 1 {
                    // The order reached the broker and filled.
                    restarted.broker.setOrders([BrokerOrder(
                        clientOrderID: sent.clientOrderID, brokerOrderID: "mem-1", symbol: sent.symbol, side: .buy, quantity: sent.quantity,
                        filledQuantity: sent.quantity, filledAveragePrice: sent.limitPrice, limitPrice: sent.limitPrice, status: .filled)])
                    restarted.broker.setPositions([BrokerPosition(symbol: sent.symbol, quantity: sent.quantity, averageEntryPrice: 100)])
                }
                await restarted.engine.start()
                restarted.flow.add(FlowSignal(
                    id: "alert-1", symbol: restarted.aapl, kind: .call, totalPremium: 200_000, askSideShare: Decimal(string: "0.8")!,
                    createdAt: ExecutionFixture.start))
                try await restarted.pollAndTick()
                #expect(restarted.router.submitted.isEmpty, "crash \(crash): sent again")
                #expect(restarted.store.state.pendingIntents.isEmpty)
                #expect(restarted.store.state.hasProcessed("alert-1"))
            }
        }
    }
}

/// Copies the regular files of `source` and its sub-folders (one level) to `target`.
private func copyFolder(_ source: String, to target: String) throws {
    let files = FileManager.default
    try? files.removeItem(atPath: target)
    try files.copyItem(atPath: source, toPath: target)
}

extension [UInt8] {
    fileprivate func write(to path: String) throws {
        try Data(self).write(to: URL(fileURLWithPath: path))
    }
}
