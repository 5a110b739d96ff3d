import Foundation
import Primitives

/// A flow alert marked processed, and when. Marked in the same durable write as the intent it caused,
/// before that order can be sent, so a crash at any instant leaves either both or neither.
public struct ProcessedSignal: Hashable, Sendable {
    public var id: String
    public var at: Timestamp

    public init(id: String, at: Timestamp) {
        self.id = id
        self.at = at
    }
}

extension PersistentState {
    /// How long a processed alert id is remembered: far longer than any alert is acted on after it was
    /// made (the feed's maximum age), so an id that falls out could not be acted on anyway.
    public static let processedSignalHorizon: Duration = .seconds(6 * 3600)
    /// The most processed alert ids kept, whatever their age (the oldest go first). A feed without a
    /// cursor (after a restart) asks for the newest page of alerts (200), all processed in order, so an
    /// alert it can see again is among the newest few hundred processed; every id costs ~85 bytes in each save.
    public static let processedSignalLimit = 500

    /// Whether the alert `id` was processed.
    public func hasProcessed(_ id: String) -> Bool {
        processedSignals.contains { $0.id == id }
    }

    /// The processed alert ids, for quick look-ups.
    public var processedSignalIDs: Set<String> { Set(processedSignals.map(\.id)) }

    /// Marks the alert `id` processed at `time` (once; a second mark keeps the first time), and drops
    /// ids older than the horizon or beyond the limit.
    public mutating func markProcessed(_ id: String, at time: Timestamp) {
        if !hasProcessed(id) { processedSignals.append(ProcessedSignal(id: id, at: time)) }
        pruneProcessedSignals(now: time)
    }

    /// Keeps the ids of the last `processedSignalHorizon`, at most `processedSignalLimit` of them.
    public mutating func pruneProcessedSignals(now: Timestamp) {
        let cutoff = now.advanced(by: .zero - Self.processedSignalHorizon)
        processedSignals.removeAll { $0.at < cutoff }
        if processedSignals.count > Self.processedSignalLimit {
            processedSignals.removeFirst(processedSignals.count - Self.processedSignalLimit)
        }
    }

    /// What rebuilding from the journal found, merged in: every processed alert it names, the later
    /// trade time per symbol (cooldowns), and — when `startsEmpty` (no state, or a corrupt one set aside)
    /// — the realised PnL its fills add up to and the trading state the operator last chose (a flatten
    /// stays REDUCING, a halt HALTED).
    public mutating func merge(_ history: SignalHistory, startsEmpty: Bool, now: Timestamp) {
        var known = processedSignalIDs
        for signal in history.processedSignals where known.insert(signal.id).inserted {
            processedSignals.append(signal)
        }
        processedSignals.sort { $0.at < $1.at }
        pruneProcessedSignals(now: now)
        for (symbol, time) in history.lastTradeAt where lastTradeAt[symbol].map({ $0 < time }) ?? true {
            lastTradeAt[symbol] = time
        }
        if startsEmpty {
            realizedPnL = history.realizedPnL
            if let choice = history.operatorChoice {
                trading.choose(choice.mode, reason: choice.reason, actor: choice.actor, at: choice.since)
            }
        }
        if lastFlowAlertID == nil { lastFlowAlertID = history.lastAlertID }
    }

    func processedSignalsViolation() -> String? {
        var seen: Set<String> = []
        for signal in processedSignals {
            if signal.id.isEmpty || signal.id.utf8.count > 128 {
                return "processed signal \"\(signal.id.prefix(60))\" has an id of \(signal.id.utf8.count) bytes (1–128 required)"
            }
            if !seen.insert(signal.id).inserted { return "processed signal \(signal.id) appears twice" }
        }
        return nil
    }
}
