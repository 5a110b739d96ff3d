@testable import Engine
import Foundation
@testable import Strategies
import TestSupport
import Testing
@testable import TradingModel
import Persistence
import Primitives

/// The operator's close of one position (`bulwark ctl close SYMBOL`): through the command queue and the
/// real `TradingCommands` to the engine, as a market exit whose rule is `operator`.
struct CloseCommandTests {
    /// Two positions held; `close AAPL` sells AAPL alone at market, journals its intent with the rule
    /// `operator`, publishes the close with that rule, logs "position closed: operator", and trading stays ACTIVE.
    @Test func closesOnePositionAsOperator() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            await setup.engine.start()
            setup.flow.add(setup.signal("alert-1"))
            setup.flow.add(setup.signal("alert-2", symbol: setup.msft))
            try await setup.pollAndTick()
            #expect(setup.store.state.positions.count == 2)

            let results = await setup.submit([.closePosition(setup.aapl)])
            #expect(results.map(\.accepted) == [true], "\(results)")
            try await setup.tick()
            #expect(setup.store.state.positions[setup.aapl] == nil)
            #expect(setup.store.state.positions[setup.msft] != nil)
            #expect(setup.store.tradingState.mode == .active)
            let sent = setup.router.submitted.last
            #expect(sent?.symbol == setup.aapl && sent?.side == .sell && sent?.limitPrice == nil && sent?.closeRule == .operator)
            let closes = try setup.journal().compactMap { entry -> CloseRule? in
                if case .intent(let intent) = entry.record { return intent.closeRule }
                return nil
            }
            #expect(closes == [.operator])
            let commandLines = try setup.journal().compactMap { entry -> ControlCommand? in
                if case .command(let result) = entry.record { return result.command }
                return nil
            }
            #expect(commandLines == [.closePosition(setup.aapl)])
            setup.parts.bus.finish()
            var rules: [CloseRule?] = []
            for await event in setup.parts.events { if case .positionClosed(let close) = event.kind { rules.append(close.rule) } }
            #expect(rules == [.operator])
            #expect(setup.parts.log.contains("position closed: operator"))
        }
    }

    /// A close of a symbol not held is refused with its reason and code, and nothing is sent.
    @Test func noSuchPositionIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            await setup.engine.start()
            setup.flow.add(setup.signal("alert-1"))
            try await setup.pollAndTick()
            let results = await setup.submit([.closePosition(setup.msft)])
            #expect(results.first?.accepted == false)
            #expect(results.first?.code == "command.no_position")
            #expect(results.first?.message.contains("no position in MSFT") == true, "\(results)")
            try await setup.tick()
            #expect(setup.router.submitted.count == 1)
            #expect(setup.store.state.positions[setup.aapl] != nil)
        }
    }

    /// As flatten does, a close from the operator's HALTED chooses REDUCING so the exit can leave; the next
    /// call alert buys nothing.
    @Test func fromHaltedItReduces() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            await setup.engine.start()
            setup.flow.add(setup.signal("alert-1"))
            setup.flow.add(setup.signal("alert-2", symbol: setup.msft))
            try await setup.pollAndTick()
            let results = await setup.submit([.halt, .closePosition(setup.aapl)])
            #expect(results.map(\.accepted) == [true, true], "\(results)")
            #expect(results.last?.message.contains("REDUCING") == true)
            #expect(setup.store.tradingState.mode == .reducing)
            try await setup.tick()
            #expect(setup.store.state.positions[setup.aapl] == nil)
            #expect(setup.store.state.positions[setup.msft] != nil)
            setup.clock.advance(by: .seconds(600))
            setup.flow.add(setup.signal("alert-3"))
            try await setup.pollAndTick()
            #expect(setup.router.submitted.count == 3, "\(setup.router.submitted)")
        }
    }

    /// Under a system hold nothing can be sent: the close is refused naming the hold, and nothing changes.
    @Test func systemHoldRefuses() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            await setup.engine.start()
            setup.flow.add(setup.signal("alert-1"))
            try await setup.pollAndTick()
            try setup.store.hold(.reconciliation, reason: "FAILED_RECONCILIATION: broker unreachable")
            let results = await setup.submit([.closePosition(setup.aapl)])
            #expect(results.first?.accepted == false)
            #expect(results.first?.code == "trading.system_hold")
            #expect(results.first?.message.contains("broker unreachable") == true, "\(results)")
            #expect(setup.store.state.trading.chosen.mode == .active)
            try await setup.tick()
            #expect(setup.router.submitted.count == 1)
        }
    }

    /// A halt after an accepted close, before the engine's tick, cancels it: the position is kept.
    @Test func haltCancelsAPendingClose() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            await setup.engine.start()
            setup.flow.add(setup.signal("alert-1"))
            try await setup.pollAndTick()
            let results = await setup.submit([.closePosition(setup.aapl), .halt, .reduceOnly])
            #expect(results.map(\.accepted) == [true, true, true], "\(results)")
            try await setup.tick()
            #expect(setup.store.state.positions[setup.aapl] != nil)
            #expect(setup.router.submitted.count == 1)
        }
    }
}
