import Foundation
@testable import Primitives
import TestSupport
import Testing
@testable import TradingModel
import Engine
import Persistence
import Strategies

/// Signals are acted on oldest first, stale entries are skipped, opposite signals cancel, and every
/// close names its rule.
struct SignalOrderTests {
    /// An entry alert older than MAX_SIGNAL_AGE_SECONDS when the engine reaches it is skipped, counted and
    /// logged with its reason; a fresh one goes.
    @Test func staleEntriesAreSkipped() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory, engineSettings: .init(maxSignalAge: .seconds(60)))
            await setup.engine.start()
            setup.flow.add(setup.signal("old", ageSeconds: 90))
            setup.flow.add(setup.signal("fresh", symbol: setup.msft, ageSeconds: 5))
            try await setup.pollAndTick()
            #expect(setup.router.submitted.map(\.symbol) == [setup.msft])
            #expect(setup.engine.skippedSignals[.stale] == 1)
            #expect(setup.parts.log.contains("alert skipped: entry signal 90 s old, older than MAX_SIGNAL_AGE_SECONDS=60"))
            #expect(setup.store.state.hasProcessed("old"), "a skipped alert is processed, not left to come back")
        }
    }

    /// Alerts are acted on oldest first, whatever order they arrive in.
    @Test func oldestFirst() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            await setup.engine.start()
            // Newest first, as a poll of the feed gives them, then put into the inbox in that order.
            setup.engine.parts.inbox.put([setup.signal("newer", symbol: setup.msft, ageSeconds: 1), setup.signal("older", ageSeconds: 10)])
            try await setup.tick()
            #expect(setup.router.submitted.map(\.alertID) == ["older", "newer"])
        }
    }

    /// A call and a put for one symbol in one batch cancel out: no entry, no exit; counted and logged.
    @Test func oppositeSignalsCancel() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            await setup.engine.start()
            setup.flow.add(setup.signal("call", ageSeconds: 3))
            setup.flow.add(setup.signal("put", .put, ageSeconds: 2))
            setup.flow.add(setup.signal("other", symbol: setup.msft, ageSeconds: 1))
            try await setup.pollAndTick()
            #expect(setup.router.submitted.map(\.alertID) == ["other"])
            #expect(setup.engine.skippedSignals[.opposite] == 2)
            #expect(setup.parts.log.contains("alert skipped: a call and a put for AAPL in one batch cancel out"))
        }
    }

    /// Each close names its rule in the journal's intent, the position-closed event and the log.
    @Test func closesNameTheirRule() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory)
            await setup.engine.start()
            setup.flow.add(setup.signal("buy"))
            try await setup.pollAndTick()
            setup.clock.advance(by: .seconds(5))
            setup.quotes.set(setup.aapl, bid: 90, ask: Decimal(string: "90.02")!)
            setup.router.setBehaviour(.fill(at: 90))
            try await setup.tick()
            #expect(setup.store.state.positions.isEmpty)

            let intents = try setup.journal().compactMap { entry -> OrderIntent? in
                if case .intent(let intent) = entry.record { return intent }
                return nil
            }
            #expect(intents.map(\.closeRule) == [nil, .stopLoss])
            #expect(intents.map(\.alertID) == ["buy", nil])
            setup.parts.bus.finish()
            var closes: [PositionClose] = []
            for await event in setup.parts.events { if case .positionClosed(let close) = event.kind { closes.append(close) } }
            #expect(closes.map(\.rule) == [.stopLoss])
            #expect(setup.parts.log.contains("position closed: stop loss"))
        }
    }
}
