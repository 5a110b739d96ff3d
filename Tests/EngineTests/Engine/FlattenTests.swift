@testable import Engine
import Foundation
@testable import Strategies
import TestSupport
import Testing
@testable import TradingModel
import Persistence
import Primitives

/// Flatten closes everything and leaves trading REDUCING until the operator resumes.
struct FlattenTests {
    /// The engine's flatten from ACTIVE closes every position and leaves REDUCING: the next call alert
    /// buys nothing.
    @Test func flattenLeavesReducing() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            await setup.engine.start()
            setup.flow.add(setup.signal("alert-1"))
            try await setup.pollAndTick()
            #expect(setup.store.state.positions.count == 1)
            setup.engine.flattenAll()
            try await setup.tick()
            #expect(setup.store.state.positions.isEmpty)
            #expect(setup.store.tradingState.mode == .reducing)
            setup.clock.advance(by: .seconds(600))
            setup.flow.add(setup.signal("alert-2", symbol: setup.msft))
            try await setup.pollAndTick()
            #expect(setup.router.submitted.count == 2, "no entry after the flatten: \(setup.router.submitted)")
            let closes = try setup.journal().compactMap { entry -> CloseRule? in
                if case .intent(let intent) = entry.record { return intent.closeRule }
                return nil
            }
            #expect(closes == [.flatten])
        }
    }

    /// A flatten by the operator's command survives a corrupt state file and a restart: the healed state
    /// is REDUCING again (rebuilt from the journaled command) and the next call alert buys nothing.
    @Test func flattenSurvivesAHeal() async throws {
        try await withTemporaryDirectory { directory in
            let first = try EngineFixture(directory: directory)
            await first.engine.start()
            first.flow.add(first.signal("alert-1"))
            try await first.pollAndTick()
            let result = try #require(await first.submit([.flattenAll], from: .console).first)
            #expect(result.accepted, "\(result.message)")
            try await first.tick()
            #expect(first.store.state.positions.isEmpty)

            try Data("{ invalid json }".utf8).write(to: URL(fileURLWithPath: directory + "/state/trading_state.json"))
            let second = try EngineFixture(directory: directory, start: first.clock.now.advanced(by: .seconds(600)))
            await second.engine.start()
            #expect(second.store.tradingState.mode == .reducing, "\(second.store.tradingState)")
            second.flow.add(second.signal("alert-2", symbol: second.msft))
            try await second.pollAndTick()
            #expect(second.router.submitted.isEmpty, "bought again after a flatten: \(second.router.submitted)")
        }
    }

    /// Under a system hold nothing can be sent: flatten is refused naming the hold (it was answered
    /// "every position will be closed" and sent nothing), and trading is left as it was.
    @Test func systemHoldRefusesFlatten() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            await setup.engine.start()
            setup.flow.add(setup.signal("alert-1"))
            try await setup.pollAndTick()
            try setup.store.hold(.reconciliation, reason: "FAILED_RECONCILIATION: broker unreachable")
            let results = await setup.submit([.flattenAll])
            #expect(results.first?.accepted == false, "\(results)")
            #expect(results.first?.code == "trading.system_hold")
            #expect(results.first?.message.contains("broker unreachable") == true, "\(results)")
            #expect(setup.store.state.trading.chosen.mode == .active)
            try await setup.tick()
            #expect(setup.router.submitted.count == 1)
            #expect(setup.store.state.positions[setup.aapl] != nil)
        }
    }
}
