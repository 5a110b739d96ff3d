import Foundation
import MarketClients
import PaperExchange
import Primitives
import Engine
import Persistence
import Supervision
import TradingModel
import Assembly

/// One row of the `chaos-test` table.
package struct ChaosOutcome: Sendable {
    /// The rehearsal's name: the mode's, or the fault's (`ChaosCase.name`).
    package var name: String
    package var expected: String
    package var observed: [String] = []
    package var timeToDetect: Duration?
    package var timeToRecover: Duration?
    package var failures: [String] = []

    package var passed: Bool { failures.isEmpty }

    package init(name: String, expected: String) {
        self.name = name
        self.expected = expected
    }

    package init(mode: ChaosMode, expected: String) {
        self.init(name: mode.rawValue, expected: expected)
    }

    mutating func check(_ condition: Bool, _ what: String) {
        if condition { observed.append(what) } else { failures.append(what) }
    }
}

/// The chaos contract, mode by mode: switch the mode on against a running core, wait for what it must
/// lead to (time to detect), switch it off (and resume where the contract says the operator must), and
/// wait for the recovery (time to recover).
package enum ChaosScenario {
    package static let expectations: [ChaosMode: String] = [
        .alpacaDown: "trading-bot DEGRADED, no order sent; OK by itself when off",
        .invalidCreds: "FAILED_CONFIG + HALTED; still HALTED when off until resume, which re-checks",
        .schemaDrift: "FAILED_API_SCHEMA + HALTED; resume after it is off",
        .rateLimit: "waits honoured, DEGRADED while on; recovers",
        .latency: "trading goes on, slower",
        .uwDown: "uw-daemon DEGRADED, then FAILED (restarts); exits still managed",
        .supervisorCrash: "services back, trading-bot restart counted, no duplicate order, positions = broker's",
        .stateCorrupt: "backup kept, state rebuilt from broker, positions = broker's",
        .fdExhaustion: "fault named (trading-bot DEGRADED), trading ACTIVE while held; OK once let go",
        .streamDrop: "trade-stream and quote-stream DEGRADED (reason named), trading goes on over REST; OK again after a REST reconciliation",
    ]

    package static func run(_ mode: ChaosMode, on rig: ChaosRig) async -> ChaosOutcome {
        var outcome = ChaosOutcome(mode: mode, expected: expectations[mode] ?? "")
        let ready = await rig.until(within: .seconds(60)) { rig.trading?.mode == .active && rig.overall.status == .ok }
        guard ready != nil else {
            outcome.failures.append("never ACTIVE and OK before the mode (trading \(rig.trading?.mode.rawValue ?? "-"), health \(rig.overall.status.rawValue))")
            return outcome
        }
        switch mode {
        case .alpacaDown: await alpacaDown(rig, &outcome)
        case .invalidCreds: await persistent(rig, &outcome, mode: .invalidCreds, reason: .config)
        case .schemaDrift: await persistent(rig, &outcome, mode: .schemaDrift, reason: .apiSchema)
        case .rateLimit: await rateLimit(rig, &outcome)
        case .latency: await latency(rig, &outcome)
        case .uwDown: await uwDown(rig, &outcome)
        case .supervisorCrash: await supervisorCrash(rig, &outcome)
        case .stateCorrupt: await stateCorrupt(rig, &outcome)
        case .fdExhaustion: await fdExhaustion(rig, &outcome)
        case .streamDrop: await streamDrop(rig, &outcome)
        }
        checkOperatorText(rig, &outcome)
        return outcome
    }

    /// Every line the console's events pane would have shown reads as words: no `Optional(…)`, no
    /// module-qualified type name, no value dump.
    static func checkOperatorText(_ rig: ChaosRig, _ outcome: inout ChaosOutcome) {
        let lines = rig.eventLines
        let bad = lines.first { !OperatorTextCheck.problems(in: $0).isEmpty }
        if let bad {
            outcome.failures.append("event text in words (\(OperatorTextCheck.problems(in: bad).joined(separator: ", ")): \(bad))")
        } else {
            outcome.observed.append("\(lines.count) events in words")
        }
    }

    private static func fdExhaustion(_ rig: ChaosRig, _ outcome: inout ChaosOutcome) async {
        // The start-up done and the loop ticking first: the rehearsal is of a running core.
        _ = await rig.until(within: .seconds(30)) { (rig.generation?.engine.ticks ?? 0) >= 3 && rig.trading?.mode == .active }
        await rig.command(.chaos(.fdExhaustion, on: true))
        outcome.timeToDetect = await rig.until(within: .seconds(15)) {
            rig.registry.service(.tradingBot)?.detail?.contains("out of file descriptors") == true
        }
        outcome.check(outcome.timeToDetect != nil, "trading-bot DEGRADED: out of file descriptors")
        let active = await rig.until(within: .seconds(15)) { rig.trading?.mode == .active && rig.runtime.chaos.isOn(.fdExhaustion) }
        outcome.check(active != nil, "trading ACTIVE while the descriptors are held")
        outcome.timeToRecover = await rig.until(within: .seconds(40)) {
            !rig.runtime.chaos.isOn(.fdExhaustion) && rig.overall.status == .ok
        }
        outcome.check(outcome.timeToRecover != nil, "OK again once they are let go (reserve retaken)")
    }

    private static func alpacaDown(_ rig: ChaosRig, _ outcome: inout ChaosOutcome) async {
        let ordersBefore = rig.brokerOrderCount
        await rig.command(.chaos(.alpacaDown, on: true))
        outcome.timeToDetect = await rig.until(within: .seconds(15)) { rig.status(.tradingBot) == .degraded }
        outcome.check(outcome.timeToDetect != nil, "trading-bot DEGRADED")
        outcome.check(await rig.holds(for: .seconds(3)) { rig.brokerOrderCount == ordersBefore }, "no order reached the broker")
        await rig.command(.chaos(.alpacaDown, on: false))
        outcome.timeToRecover = await rig.until(within: .seconds(30)) { rig.status(.tradingBot) == .ok && rig.overall.status == .ok }
        outcome.check(outcome.timeToRecover != nil, "OK again by itself")
    }

    private static func persistent(_ rig: ChaosRig, _ outcome: inout ChaosOutcome, mode: ChaosMode, reason: FailureReason) async {
        await rig.command(.chaos(mode, on: true))
        outcome.timeToDetect = await rig.until(within: .seconds(15)) {
            rig.overall.status == .failed && rig.overall.reason == reason && rig.trading?.mode == .halted
        }
        outcome.check(outcome.timeToDetect != nil, "\(reason.rawValue) + HALTED")
        let early = await rig.command(.resume)
        outcome.check(!early.accepted && rig.trading?.mode == .halted, "resume refused while on")
        await rig.command(.chaos(mode, on: false))
        outcome.check(await rig.holds(for: .seconds(3)) { rig.trading?.mode == .halted }, "still HALTED when off")
        await resume(rig, &outcome, accepted: "resume accepted after the re-check")
    }

    private static func rateLimit(_ rig: ChaosRig, _ outcome: inout ChaosOutcome) async {
        let since = rig.apiFailures.count
        await rig.command(.chaos(.rateLimit, on: true))
        outcome.timeToDetect = await rig.until(within: .seconds(30)) { rig.status(.tradingBot) == .degraded }
        outcome.check(outcome.timeToDetect != nil, "trading-bot DEGRADED")
        await rig.command(.chaos(.rateLimit, on: false))
        outcome.timeToRecover = await rig.until(within: .seconds(30)) { rig.overall.status == .ok }
        outcome.check(outcome.timeToRecover != nil, "OK again by itself")
        // Every retry after a 429 came no sooner than the reset it was given (2 s, whole seconds: ≥ 1 s).
        let limited = rig.apiFailures.dropFirst(since).filter { $0.failure.errorClass == .rateLimit }
        var gaps: [Duration] = []
        var last: [String: Timestamp] = [:]
        for (at, failure) in limited {
            if let previous = last[failure.endpoint], failure.attempt > 1 { gaps.append(previous.duration(to: at)) }
            last[failure.endpoint] = at
        }
        let shortest = gaps.min()
        outcome.check(!gaps.isEmpty && (shortest ?? .zero) >= .seconds(1), "waits honoured (\(gaps.count) retries, shortest wait \(format(shortest)))")
    }

    private static func latency(_ rig: ChaosRig, _ outcome: inout ChaosOutcome) async {
        guard let engine = rig.generation?.engine else { return }
        let normal = await timedAccountCall(rig)
        await rig.command(.chaos(.latency, on: true))
        let ticks = engine.ticks
        let orders = rig.brokerOrderCount
        let slow = await timedAccountCall(rig)
        // A tick may carry out several orders, each call 1.5 s slower: progress is ticks or orders.
        let going = await rig.until(within: .seconds(30)) { engine.ticks >= ticks + 2 || rig.brokerOrderCount > orders }
        outcome.check(
            going != nil, "trading went on (\(engine.ticks - ticks) ticks, \(rig.brokerOrderCount - orders) orders reached the broker)")
        outcome.check(rig.trading?.mode == .active && rig.overall.status != .failed, "trading ACTIVE, not FAILED")
        outcome.check(slow > normal + .seconds(1), "slower: a broker call took \(format(slow)) (\(format(normal)) before)")
        await rig.command(.chaos(.latency, on: false))
        outcome.timeToRecover = await rig.until(within: .seconds(20)) { rig.overall.status == .ok }
        outcome.check(outcome.timeToRecover != nil, "OK when off")
    }

    /// How long one account read through the chaos-wrapped client takes.
    private static func timedAccountCall(_ rig: ChaosRig) async -> Duration {
        let start = ContinuousClock.now
        _ = try? await rig.runtime.connections.trading.account()
        return ContinuousClock.now - start
    }

    private static func uwDown(_ rig: ChaosRig, _ outcome: inout ChaosOutcome) async {
        await rig.command(.chaos(.uwDown, on: true))
        outcome.timeToDetect = await rig.until(within: .seconds(15)) { rig.status(.uwDaemon) == .degraded }
        outcome.check(outcome.timeToDetect != nil, "uw-daemon DEGRADED")
        let failed = await rig.until(within: .seconds(90)) { rig.registry.service(.uwDaemon)?.reason == .restarts }
        outcome.check(failed != nil, "uw-daemon FAILED_RESTARTS after \(rig.registry.service(.uwDaemon)?.restarts ?? 0) restarts")
        let reducing = await rig.until(within: .seconds(5)) { rig.trading?.mode == .reducing }
        let ticks = rig.generation?.engine.ticks ?? 0
        let ticking = await rig.until(within: .seconds(10)) { (rig.generation?.engine.ticks ?? 0) > ticks + 1 }
        outcome.check(reducing != nil && ticking != nil, "trading REDUCING, loop ticking: exits still managed")
        await rig.command(.chaos(.uwDown, on: false))
        await resume(rig, &outcome, accepted: "resume accepted (uw-daemon revived)")
    }

    /// The operator resumes; the time to recover runs from the resume to trading ACTIVE with health OK.
    private static func resume(_ rig: ChaosRig, _ outcome: inout ChaosOutcome, accepted: String) async {
        let resumedAt = ContinuousClock.now
        let resumed = await rig.command(.resume)
        outcome.check(resumed.accepted, accepted)
        let back = await rig.until(within: .seconds(30)) { rig.trading?.mode == .active && rig.overall.status == .ok }
        outcome.timeToRecover = back.map { _ in ContinuousClock.now - resumedAt }
        outcome.check(back != nil, "ACTIVE and OK after resume")
    }

    private static func supervisorCrash(_ rig: ChaosRig, _ outcome: inout ChaosOutcome) async {
        _ = await rig.until(within: .seconds(60)) { rig.brokerPositionCount > 0 }
        let before = rig.generation?.number ?? 0
        let restartsBefore = rig.registry.service(.tradingBot)?.restarts ?? 0
        let crashAt = ContinuousClock.now
        await rig.command(.chaos(.supervisorCrash, on: true))
        outcome.timeToDetect = await rig.until(within: .seconds(15)) { (rig.generation?.number ?? 0) > before }
        outcome.check(outcome.timeToDetect != nil, "core started again from disk")
        let back = await rig.until(within: .seconds(60)) {
            (rig.generation?.number ?? 0) > before && rig.trading?.mode == .active && rig.overall.status == .ok
        }
        outcome.timeToRecover = back.map { _ in ContinuousClock.now - crashAt }
        outcome.check(back != nil, "services back, ACTIVE and OK")
        let bot = rig.registry.service(.tradingBot)
        outcome.check(
            bot?.restarts == restartsBefore + 1 && bot?.lastRestart != nil,
            "trading-bot restart counted (\(bot?.restarts ?? 0)): \(bot?.lastRestart?.reason ?? "no reason")")
        await checkBook(rig, &outcome)
    }

    private static func stateCorrupt(_ rig: ChaosRig, _ outcome: inout ChaosOutcome) async {
        _ = await rig.until(within: .seconds(60)) { rig.brokerPositionCount > 0 }
        let startedAt = ContinuousClock.now
        let result = await rig.command(.chaos(.stateCorrupt, on: true))
        outcome.timeToDetect = await rig.until(within: .seconds(5)) { backups(in: rig.folder + "/state").count > 0 }
        outcome.check(outcome.timeToDetect != nil && result.accepted, "backup kept: \(backups(in: rig.folder + "/state").first ?? "none")")
        let back = await rig.until(within: .seconds(60)) {
            rig.trading?.mode == .active && rig.generation?.store.state.trading.isHeld(.reconciliation) == false
        }
        outcome.timeToRecover = back.map { _ in ContinuousClock.now - startedAt }
        outcome.check(back != nil, "reconciled, ACTIVE")
        await checkBook(rig, &outcome)
    }

    /// Positions equal the broker's (once no order is in flight) and no client order id was used twice.
    static func checkBook(_ rig: ChaosRig, _ outcome: inout ChaosOutcome) async {
        let ids = rig.exchangeBook?.orders.map(\.clientOrderID) ?? []
        outcome.check(Set(ids).count == ids.count, "no duplicate order (\(ids.count) orders at the broker)")
        // An order may be filling as we look: give the fill a moment to reach the state.
        let match = await rig.until(within: .seconds(10)) { rig.positionsMatchBroker }
        outcome.check(match != nil, "positions = broker's (\(rig.brokerPositionCount) open)")
    }

    static func backups(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("trading_state.json.corrupt.") }
    }

    package static func format(_ duration: Duration?) -> String {
        guard let duration else { return "-" }
        return String(format: "%.2f s", duration.seconds)
    }
}
