import Foundation
import Engine
import Persistence
import Primitives
import Supervision
import TradingModel

/// The rehearsals that are not a chaos mode switched on against a running core: a state file corrupted
/// after trades, and a dashboard port another listener holds before the core starts.
extension ChaosScenario {
    static let faultExpectations: [ChaosCase: String] = [
        .stateCorruptAfterTrades: "trades, then the state corrupted: backup kept, no alert acted on twice, every cooldown kept",
        .dashboardPortTaken: "dashboard FAILED naming the address and why, never OK first; trading ACTIVE, health DEGRADED",
    ]

    /// What the contract expects of `chaosCase`.
    package static func expected(_ chaosCase: ChaosCase) -> String {
        switch chaosCase {
        case .mode(let mode): expectations[mode] ?? ""
        default: faultExpectations[chaosCase] ?? ""
        }
    }

    /// Rehearses `chaosCase` on a fresh core, stopped afterwards; its folder is kept (and returned) when
    /// `keep` or when it failed.
    package static func rehearse(_ chaosCase: ChaosCase, keep: Bool) async -> (outcome: ChaosOutcome, keptFolder: String?) {
        var outcome = ChaosOutcome(name: chaosCase.name, expected: expected(chaosCase))
        var holder: PortHolder?
        defer { holder?.close() }
        var environment: [String: String] = [:]
        if chaosCase == .stateCorruptAfterTrades {
            // A strategy that takes most alerts, so there are trades to protect within a minute; the
            // cooldown stays production's 5 minutes, so a lost one would show.
            environment = ["MIN_FLOW_PREMIUM_USD": "1", "MIN_ASK_SIDE_SHARE": "0.01", "ENTRY_SLIPPAGE_PCT": "0.01"]
        }
        if chaosCase == .dashboardPortTaken {
            do {
                let taken = try PortHolder()
                holder = taken
                environment["DASHBOARD_PORT"] = "\(taken.port)"
            } catch {
                outcome.failures.append(error.operatorText)
                return (outcome, nil)
            }
        }
        let rig: ChaosRig
        do {
            rig = try await ChaosRig.start(name: chaosCase.name, environment: environment)
        } catch {
            outcome.failures.append("could not start: \(error.operatorText)")
            return (outcome, nil)
        }
        switch chaosCase {
        case .mode(let mode): outcome = await run(mode, on: rig)
        case .stateCorruptAfterTrades:
            if await ready(rig, &outcome) { await stateCorruptAfterTrades(rig, &outcome) }
            checkOperatorText(rig, &outcome)
        case .dashboardPortTaken:
            if let holder { await dashboardPortTaken(rig, port: holder.port, &outcome) }
            checkOperatorText(rig, &outcome)
        }
        let kept = keep || !outcome.passed
        await rig.stop(keepFolder: kept)
        return (outcome, kept ? rig.folder : nil)
    }

    private static func ready(_ rig: ChaosRig, _ outcome: inout ChaosOutcome) async -> Bool {
        guard await rig.until(within: .seconds(60), { rig.trading?.mode == .active && rig.overall.status == .ok }) != nil else {
            outcome.failures.append("never ACTIVE and OK first (trading \(rig.trading?.mode.rawValue ?? "-"), health \(rig.overall.status.rawValue))")
            return false
        }
        return true
    }

    /// Trades, corrupts the state file (as `state_corrupt` does) and recovers: the healed state knows every
    /// alert acted on and every cooldown from the order journal, and trading goes on without repeating one.
    private static func stateCorruptAfterTrades(_ rig: ChaosRig, _ outcome: inout ChaosOutcome) async {
        let traded = await rig.until(within: .seconds(90)) { journalAlertIDs(rig).count >= 3 && !(rig.generation?.store.state.lastTradeAt.isEmpty ?? true) }
        outcome.check(traded != nil, "traded first (\(journalAlertIDs(rig).count) intents with an alert)")
        guard traded != nil, let store = rig.generation?.store else { return }
        let before = store.state
        let actedOn = Set(journalAlertIDs(rig))
        let startedAt = ContinuousClock.now
        let result = await rig.command(.chaos(.stateCorrupt, on: true))
        outcome.timeToDetect = await rig.until(within: .seconds(5)) { backups(in: rig.folder + "/state").count > 0 }
        outcome.check(outcome.timeToDetect != nil && result.accepted, "backup kept")
        let back = await rig.until(within: .seconds(60)) {
            rig.trading?.mode == .active && rig.generation?.store.state.trading.isHeld(.reconciliation) == false
        }
        outcome.timeToRecover = back.map { _ in ContinuousClock.now - startedAt }
        outcome.check(back != nil, "reconciled, ACTIVE")
        guard let after = rig.generation?.store.state else { return }
        // The journal's time of a fill is the store's, or a moment later; a second covers the rounding.
        let lost = before.lastTradeAt.filter { symbol, time in
            after.lastTradeAt[symbol].map { $0 < time.advanced(by: .seconds(-1)) } ?? true
        }
        outcome.check(lost.isEmpty, "cooldowns kept (\(before.lastTradeAt.count) symbols)" + (lost.isEmpty ? "" : ": lost \(lost.keys.sorted())"))
        let forgotten = actedOn.subtracting(after.processedSignalIDs)
        outcome.check(forgotten.isEmpty, "every alert acted on still known (\(actedOn.count))" + (forgotten.isEmpty ? "" : ": forgotten \(forgotten.sorted())"))
        // Trading goes on over alerts old and new; none is acted on twice.
        let once = await rig.holds(for: .seconds(10)) { repeated(journalAlertIDs(rig)).isEmpty }
        let ids = journalAlertIDs(rig)
        outcome.check(once, "no alert acted on twice (\(ids.count) intents, \(ids.count - actedOn.count) after the heal)" + (once ? "" : ": \(repeated(ids))"))
        await checkBook(rig, &outcome)
    }

    /// Another listener holds the dashboard's port from the start: the dashboard fails to listen, is
    /// given up, and says where and why; it is never OK on the way; trading carries on without it.
    private static func dashboardPortTaken(_ rig: ChaosRig, port: Int, _ outcome: inout ChaosOutcome) async {
        let place = "127.0.0.1:\(port)"
        outcome.timeToDetect = await rig.until(within: .seconds(30)) { rig.status(.dashboard) == .failed }
        let dashboard = rig.registry.service(.dashboard)
        outcome.check(outcome.timeToDetect != nil, "dashboard FAILED (\(dashboard?.reason?.rawValue ?? dashboard?.status.rawValue ?? "-"), \(dashboard?.restarts ?? 0) restarts)")
        let said = [dashboard?.detail, dashboard?.lastError].compactMap { $0 }.joined(separator: "; ")
        outcome.check(said.contains(place) && said.contains("already in use"), "the error names \(place) and why: \(dashboard?.lastError ?? "none")")
        let shown = rig.statusHistory(.dashboard)
        outcome.check(!shown.isEmpty && !shown.contains { $0.status == .ok }, "never shown OK (\(shown.map(\.status.rawValue).joined(separator: ", ")))")
        let ticks = rig.generation?.engine.ticks ?? 0
        let going = await rig.until(within: .seconds(30)) {
            rig.trading?.mode == .active && (rig.generation?.engine.ticks ?? 0) >= ticks + 2
        }
        outcome.check(going != nil, "trading ACTIVE, the loop ticking")
        outcome.check(rig.overall.status == .degraded, "health \(rig.overall.status.rawValue), not OK")
    }

    /// The alert ids the order journal's intents name, oldest first.
    static func journalAlertIDs(_ rig: ChaosRig) -> [String] {
        guard let contents = try? OrderJournal.read(path: rig.folder + "/logs/orders.jsonl") else { return [] }
        return contents.entries.compactMap { entry in
            if case .intent(let intent) = entry.record { return intent.alertID }
            return nil
        }
    }

    /// The ids that appear more than once.
    static func repeated(_ ids: [String]) -> [String] {
        Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
    }
}
