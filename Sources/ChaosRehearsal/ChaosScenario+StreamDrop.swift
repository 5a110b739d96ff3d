import Engine
import Primitives
import Supervision
import TradingModel

extension ChaosScenario {
    /// `stream_drop`: both streams are cut off and kept off (quotes are then polled over REST). DETECT: `trade-stream` DEGRADED with the
    /// reason named; meanwhile the follower asks the broker over REST and the loop trades on. RECOVER:
    /// once off, the stream is made again, the orders in flight reconciled over REST, and it is OK.
    static func streamDrop(_ rig: ChaosRig, _ outcome: inout ChaosOutcome) async {
        let live = await rig.until(within: .seconds(30)) {
            rig.status(.tradeStream) == .ok && rig.generation?.engine.parts.orderUpdates?.isLive == true
        }
        outcome.check(live != nil, "trade-stream OK before the mode: orders followed from the stream")
        await rig.command(.chaos(.streamDrop, on: true))
        outcome.timeToDetect = await rig.until(within: .seconds(10)) {
            rig.status(.tradeStream) == .degraded && rig.registry.service(.tradeStream)?.detail?.contains("stream_drop") == true
        }
        outcome.check(outcome.timeToDetect != nil, "trade-stream DEGRADED, the reason named (chaos stream_drop)")
        let quotesDropped = await rig.until(within: .seconds(10)) {
            rig.status(.quoteStream) == .degraded && rig.registry.service(.quoteStream)?.detail?.contains("stream_drop") == true
        }
        outcome.check(quotesDropped != nil, "quote-stream DEGRADED too, the reason named: quotes polled over REST")
        guard let engine = rig.generation?.engine else { return }
        let (ticks, orders) = (engine.ticks, rig.brokerOrderCount)
        let going = await rig.until(within: .seconds(30)) {
            (engine.ticks >= ticks + 3 || rig.brokerOrderCount > orders) && engine.parts.orderUpdates?.isLive == false
        }
        outcome.check(
            going != nil && rig.trading?.mode == .active,
            "trading went on over REST (\(engine.ticks - ticks) ticks, \(rig.brokerOrderCount - orders) orders reached the broker), ACTIVE")
        outcome.check(rig.overall.status == .ok, "overall OK meanwhile: trade-stream is supportive")
        await rig.command(.chaos(.streamDrop, on: false))
        outcome.timeToRecover = await rig.until(within: .seconds(30)) {
            rig.status(.tradeStream) == .ok && rig.generation?.engine.parts.orderUpdates?.isLive == true
        }
        outcome.check(outcome.timeToRecover != nil, "trade-stream OK again, the stream trusted after a REST reconciliation")
        let quotesBack = await rig.until(within: .seconds(30)) { rig.status(.quoteStream) == .ok }
        outcome.check(quotesBack != nil, "quote-stream OK again: quotes pushed")
        let reconciled = rig.statusHistory(.tradeStream).contains { $0.detail?.contains("reconciling") == true }
        outcome.check(reconciled, "the orders in flight were reconciled over REST before the stream was trusted")
    }
}
