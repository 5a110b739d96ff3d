import Foundation
import Primitives
import TradingModel

/// What the order journal says about the signals already acted on: every alert an intent names, the
/// last fill per symbol (the cooldowns) and the realised PnL its fills add up to. A healed or migrated
/// state is rebuilt from it before trading, so no alert is acted on twice and no cooldown is lost.
public struct SignalHistory: Hashable, Sendable {
    public var processedSignals: [ProcessedSignal] = []
    public var lastTradeAt: [Symbol: Timestamp] = [:]
    public var realizedPnL: Decimal = 0
    /// The alert of the newest intent that names one.
    public var lastAlertID: String?
    /// The trading state the operator last chose by an accepted command (halt, resume, reduce-only,
    /// flatten), with the command's answer and time.
    public var operatorChoice: TradingState?
    /// Journal lines read, and lines that could not be (torn or invalid; skipped).
    public var entriesRead = 0
    public var linesSkipped = 0

    public init() {}

    /// Replays `entries` (oldest first).
    public init(entries: [OrderJournalEntry]) {
        var positions: [Symbol: Position] = [:]
        var seen: Set<String> = []
        for entry in entries {
            switch entry.record {
            case .intent(let intent):
                guard let id = intent.alertID else { continue }
                if seen.insert(id).inserted { processedSignals.append(ProcessedSignal(id: id, at: entry.timestamp)) }
                lastAlertID = id
            case .command(let result) where result.accepted:
                let mode: TradingState.Mode
                switch result.command {
                case .halt: mode = .halted
                case .resume: mode = .active
                case .reduceOnly, .flattenAll: mode = .reducing
                case .quit, .chaos, .closePosition: continue
                }
                let reason = mode == .active ? nil : "\(result.message) (\(result.command), rebuilt from the order journal)"
                operatorChoice = TradingState(mode: mode, reason: reason, actor: result.actor.tradingActor, since: entry.timestamp)
            case .filled(let fill), .adoptedFill(let fill):
                let result = FillAccounting.apply(
                    side: fill.side, quantity: fill.quantity, price: fill.price, to: positions[fill.symbol], symbol: fill.symbol, at: entry.timestamp)
                positions[fill.symbol] = result.position
                realizedPnL += result.realized
                lastTradeAt[fill.symbol] = entry.timestamp
            case .unpricedFill(let fill):
                // A trade for the cooldown; without a price it adds nothing to the PnL.
                lastTradeAt[fill.symbol] = entry.timestamp
            default:
                continue
            }
        }
        entriesRead = entries.count
    }

    /// Reads the journal at `path` and its rotated files (`path.1` newest … `path.<rotatedFiles>`
    /// oldest), oldest first. Files that cannot be read are skipped and counted.
    public static func read(journalPath path: String, rotatedFiles: Int) -> SignalHistory {
        var entries: [OrderJournalEntry] = []
        var skipped = 0
        let files = stride(from: rotatedFiles, through: 1, by: -1).map { "\(path).\($0)" } + [path]
        for file in files {
            guard let contents = try? OrderJournal.read(path: file) else {
                skipped += 1
                continue
            }
            entries += contents.entries
            skipped += contents.invalidLines.count + (contents.tornLastLine == nil ? 0 : 1)
        }
        var history = SignalHistory(entries: entries)
        history.linesSkipped = skipped
        return history
    }
}

extension OrderJournal {
    /// The signal history in this journal and its rotated files.
    public func signalHistory() -> SignalHistory {
        SignalHistory.read(journalPath: path, rotatedFiles: rotatedFiles)
    }
}
