import Engine
import Foundation
import Primitives
import Supervision
import TestSupport
import Testing
import TradingModel

struct HeartbeatKeeperTests {
    static let start = Timestamp.seconds(1_700_000_000)
    static let settings = HeartbeatKeeper.Settings(tickInterval: .seconds(1), missedTicks: 3, busyAllowance: .seconds(45))

    /// Idle loop: alive until 3 tick intervals pass without a tick; then stalled, by how long.
    @Test func idleLoopStallsAfterThreeIntervals() {
        let pulse = LoopPulse(lastTickEnded: Self.start, busySince: nil)
        #expect(HeartbeatKeeper.stall(pulse, now: Self.start.advanced(by: .seconds(3)), since: Self.start, settings: Self.settings) == nil)
        #expect(HeartbeatKeeper.stall(pulse, now: Self.start.advanced(by: .milliseconds(3001)), since: Self.start, settings: Self.settings) == .milliseconds(3001))
        let never = LoopPulse(lastTickEnded: nil, busySince: nil)
        #expect(HeartbeatKeeper.stall(never, now: Self.start.advanced(by: .seconds(4)), since: Self.start, settings: Self.settings) == .seconds(4))
    }

    /// A tick following an order may run long: it is stalled only past 3 intervals plus the allowance.
    @Test func busyTickHasTheAllowance() {
        let pulse = LoopPulse(lastTickEnded: Self.start, busySince: Self.start.advanced(by: .seconds(1)))
        let now = Self.start.advanced(by: .seconds(40))
        #expect(HeartbeatKeeper.stall(pulse, now: now, since: Self.start, settings: Self.settings) == nil)
        #expect(HeartbeatKeeper.stall(pulse, now: Self.start.advanced(by: .seconds(50)), since: Self.start, settings: Self.settings) == .seconds(49))
    }

    /// The watchdog marks trading-bot DEGRADED while the loop is stalled and clears only its own
    /// condition when it ticks again; the heartbeat file holds the time.
    @Test func watchMarksAndClearsAndBeatWritesTheTime() throws {
        try withTemporaryDirectory { folder in
            let clock = ManualClock()
            let registry = HealthRegistry(services: HealthRegistry.standardServices, path: nil, clock: clock, bus: nil, logger: LogCapture().logger)
            let pulse = LockedBox(LoopPulse(lastTickEnded: clock.now, busySince: nil))
            let keeper = HeartbeatKeeper(
                path: folder + "/heartbeat", pulse: { pulse.value }, registry: registry, clock: clock, logger: LogCapture().logger, settings: Self.settings)
            registry.report(.tradingBot, from: .service, status: .ok)  // the bot itself serves
            clock.advance(by: .seconds(10))
            keeper.watch(at: clock.now)
            #expect(registry.service(.tradingBot)?.status == .degraded)
            #expect(registry.service(.tradingBot)?.detail == "trading loop has not ticked for 10 s")
            pulse.value = LoopPulse(lastTickEnded: clock.now, busySince: nil)
            keeper.watch(at: clock.now)
            #expect(registry.service(.tradingBot)?.status == .ok)
            try keeper.beat(at: clock.now)
            let text = try String(contentsOfFile: folder + "/heartbeat", encoding: .utf8)
            #expect(text == clock.now.rfc3339 + "\n")
        }
    }
}
