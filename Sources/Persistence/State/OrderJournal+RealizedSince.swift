import Foundation
import Primitives
import TradingModel

extension OrderJournal {
    /// The realised PnL of the fills journaled at or after `start`, replaying this journal and its rotated
    /// files (oldest first) so that each fill meets the position it changes. Unreadable files are skipped.
    public func realizedPnL(since start: Timestamp) -> Decimal {
        let files = stride(from: rotatedFiles, through: 1, by: -1).map { "\(path).\($0)" } + [path]
        var positions: [Symbol: Position] = [:]
        var realized: Decimal = 0
        for file in files {
            guard let contents = try? OrderJournal.read(path: file) else { continue }
            for entry in contents.entries {
                switch entry.record {
                case .filled(let fill), .adoptedFill(let fill):
                    let result = FillAccounting.apply(
                        side: fill.side, quantity: fill.quantity, price: fill.price, to: positions[fill.symbol], symbol: fill.symbol, at: entry.timestamp)
                    positions[fill.symbol] = result.position
                    if entry.timestamp >= start { realized += result.realized }
                default:
                    continue
                }
            }
        }
        return realized
    }
}
