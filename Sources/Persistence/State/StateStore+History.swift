import Logging
import Primitives

extension StateStore {
    /// Reads the order journal's signal history, for rebuilding a state that lost its own.
    public typealias HistorySource = @Sendable () -> SignalHistory

    /// A state that starts without its own record of signals — none on disk, set aside as corrupt, or
    /// migrated from a version that did not keep them — takes the processed alerts, the cooldowns and
    /// (when it starts empty) the realised PnL and the operator's last choice of trading state from the
    /// journal, before anything can trade.
    static func rebuild(_ loaded: inout Loaded, from history: HistorySource?, now: Timestamp, logger: Logger) {
        guard let history else { return }
        let startsEmpty: Bool
        switch loaded.report.outcome {
        case .fresh, .healed: startsEmpty = true
        case .migrated: startsEmpty = false
        case .loaded: return
        }
        let found = history()
        guard found.entriesRead > 0 else { return }
        let before = loaded.state
        loaded.state.merge(found, startsEmpty: startsEmpty, now: now)
        if loaded.state != before { loaded.needsWrite = true }
        logger.notice(
            "signals, cooldowns and realised PnL rebuilt from the order journal",
            metadata: [
                "processed_alerts": "\(loaded.state.processedSignals.count)", "cooldowns": "\(loaded.state.lastTradeAt.count)",
                "realized_pnl": "\(loaded.state.realizedPnL)", "trading": "\(loaded.state.tradingState.mode.rawValue)",
                "journal_entries": "\(found.entriesRead)",
                "lines_skipped": "\(found.linesSkipped)",
            ])
    }
}
