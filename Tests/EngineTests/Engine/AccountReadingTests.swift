@testable import Engine
import Foundation
@testable import Persistence
@testable import Primitives
import TestSupport
import Testing
@testable import TradingModel

/// The loop reads the account once it is a minute old or after a fill, not every tick.
struct AccountReadingTests {
    /// With `accountMaxAge` 60 s, five idle ticks read the account once; a minute later it is read again;
    /// a fill makes the next tick read it at once.
    @Test func onceAMinuteOrAfterAFill() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try EngineFixture(directory: directory, engineSettings: .init(accountMaxAge: .seconds(60)))
            await setup.engine.start()
            let broker = setup.broker
            func reads() -> Int { broker.calls.filter { $0 == "account" }.count }
            let start = reads()
            for _ in 0..<5 {
                try await setup.tick()
                setup.clock.advance(by: .seconds(1))
            }
            #expect(reads() == start + 1, "idle ticks within a minute read the account once")
            setup.clock.advance(by: .seconds(60))
            try await setup.tick()
            #expect(reads() == start + 2, "read again once a minute old")

            setup.flow.add(setup.signal("alert-1"))
            try await setup.pollAndTick()
            #expect(setup.store.state.positions[setup.aapl] != nil, "the entry filled")
            let afterFill = reads()
            setup.clock.advance(by: .seconds(1))
            try await setup.tick()
            #expect(reads() == afterFill + 1, "the fill made the next tick read the account")
        }
    }
}
