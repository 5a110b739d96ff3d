import Foundation
import Primitives
import RiskGuard

/// `bulwark tune`'s sentence per guard limit: what the recording says about it, from replays that change
/// that limit alone (the rest as configured) set beside the baseline replay (everything as configured).
/// Entries are told apart by the flow alert that caused them, so "would have rejected 3 entries that ended
/// +$41.00" means: with that value the guard refused 3 entries the baseline did not refuse for this limit's
/// check, and those 3 alerts' trades closed for +$41.00 in the baseline. Only what the runs show is said.
public enum TuneAdvice {
    /// One value of a limit, replayed with that value alone changed.
    public struct Run: Sendable {
        public var value: Decimal
        public var result: ReplayResult

        public init(value: Decimal, result: ReplayResult) {
            self.value = value
            self.result = result
        }
    }

    /// The guard checks each guard limit sets (the price check holds both the deviation and the quote's age).
    public static let checks: [String: Set<String>] = [
        "MAX_POSITION_SIZE_USD": ["max_position_size"],
        "MAX_NOTIONAL_PER_ORDER": ["max_notional"],
        "MAX_PORTFOLIO_EXPOSURE_PCT": ["max_exposure"],
        "MAX_CONCENTRATION_PER_SYMBOL_PCT": ["max_concentration"],
        "MAX_PRICE_DEVIATION_PCT": ["price_sanity"],
        "MIN_COOLDOWN_MINUTES": ["cooldown"],
        "QUOTE_MAX_AGE_SECONDS": ["price_sanity"],
    ]

    public static func isGuardLimit(_ name: String) -> Bool { checks[name] != nil }

    /// The value `limits` holds for the guard limit `name`, in the variable's own unit.
    public static func configured(_ name: String, in limits: GuardLimits) -> Decimal? {
        switch name {
        case "MAX_POSITION_SIZE_USD": limits.maxPositionSizeUSD
        case "MAX_NOTIONAL_PER_ORDER": limits.maxNotionalPerOrder
        case "MAX_PORTFOLIO_EXPOSURE_PCT": limits.maxPortfolioExposurePct
        case "MAX_CONCENTRATION_PER_SYMBOL_PCT": limits.maxConcentrationPerSymbolPct
        case "MAX_PRICE_DEVIATION_PCT": limits.maxPriceDeviationPct
        case "MIN_COOLDOWN_MINUTES": Decimal(limits.minCooldown.components.seconds) / 60
        case "QUOTE_MAX_AGE_SECONDS": Decimal(limits.quoteMaxAge.components.seconds)
        default: nil
        }
    }

    /// "NAME CONFIGURED: never bound; V would have rejected N entries that ended ±$X (realised ±$A against ±$B); …".
    public static func sentence(name: String, configured: Decimal, baseline: ReplayResult, runs: [Run]) -> String {
        let checks = checks[name] ?? []
        let refusedInBaseline = baseline.rejectedEntries.filter { checks.contains($0.check) }
        var text = "\(name) \(RecordingFormat.plain(configured)): "
        text += refusedInBaseline.isEmpty ? "never bound" : "bound \(refusedInBaseline.count) time\(refusedInBaseline.count == 1 ? "" : "s")"
        let baselineKeys = Set(refusedInBaseline.map(key))
        let baselineTrades = Dictionary(baseline.trades.compactMap { trade in trade.alertID.map { ($0, trade) } }, uniquingKeysWith: { first, _ in first })
        var unchanged: [String] = []
        var clauses: [String] = []
        for run in runs.sorted(by: { $0.value < $1.value }) where run.value != configured {
            let shown = RecordingFormat.plain(run.value)
            let refused = run.result.rejectedEntries.filter { checks.contains($0.check) }
            let keys = Set(refused.map(key))
            let more = refused.filter { !baselineKeys.contains(key($0)) }
            let fewer = baselineKeys.subtracting(keys).count
            guard !more.isEmpty || fewer > 0 else {
                unchanged.append(shown)
                continue
            }
            var parts: [String] = []
            if !more.isEmpty {
                let traded = more.compactMap { $0.alertID.flatMap { baselineTrades[$0] } }
                let pnl = traded.reduce(Decimal(0)) { $0 + $1.pnl }
                var part = "would have rejected \(more.count) entr\(more.count == 1 ? "y" : "ies")"
                if traded.count == more.count {
                    part += " that ended \(ReplayReport.money(pnl, signed: true))"
                } else if traded.isEmpty {
                    part += ", none of them a closed trade in the baseline"
                } else {
                    part += ", \(traded.count) of them closed trades that ended \(ReplayReport.money(pnl, signed: true)) in the baseline"
                }
                parts.append(part)
            }
            if fewer > 0 {
                let letThrough = baselineKeys.subtracting(keys)
                let traded = run.result.trades.filter { trade in trade.alertID.map { letThrough.contains($0) } ?? false }
                let pnl = traded.reduce(Decimal(0)) { $0 + $1.pnl }
                var part = "would have let through \(fewer) entr\(fewer == 1 ? "y" : "ies") the configured value refused"
                part += traded.isEmpty ? ", none of them closed as a trade" : " (\(traded.count) closed, \(ReplayReport.money(pnl, signed: true)))"
                parts.append(part)
            }
            let realised = "realised \(ReplayReport.money(run.result.realizedPnL, signed: true)) against \(ReplayReport.money(baseline.realizedPnL, signed: true))"
            clauses.append("\(shown) \(parts.joined(separator: " and ")) (\(realised))")
        }
        if !clauses.isEmpty { text += "; " + clauses.joined(separator: "; ") }
        if !unchanged.isEmpty { text += "; \(unchanged.joined(separator: ", ")) changed nothing" }
        return text + "."
    }

    /// An entry's identity across runs: the alert that caused it, else its symbol and time.
    static func key(_ entry: ReplayResult.RejectedEntry) -> String {
        entry.alertID ?? "\(entry.symbol.rawValue)@\(entry.time.rfc3339)"
    }
}
