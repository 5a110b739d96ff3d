import Foundation
import Primitives

/// The replay's result as the operator reads it: the totals, the guard's rejections by check, a table per
/// symbol and the trade list. Plain text, the same bytes for the same result.
public enum ReplayReport {
    public static func text(_ result: ReplayResult, files: [String]) -> String {
        var lines: [String] = []
        let span = result.first.map { first in "\(first.rfc3339) to \((result.last ?? first).rfc3339)" } ?? "no events"
        lines.append("Replay of \(files.joined(separator: ", ")): \(result.quotes) quotes, \(result.alerts) flow alerts, \(span)")
        lines.append("")
        let rate = result.trades.isEmpty ? "-" : percent(result.wins, of: result.trades.count)
        lines.append("Trades           \(result.trades.count) (\(result.wins) won, win rate \(rate))")
        lines.append("Realised PnL     \(money(result.realizedPnL, signed: true))")
        lines.append("Max drawdown     \(money(result.maxDrawdown, signed: false)) (equity at the mid, each second)")
        lines.append("Equity           \(money(result.startingEquity, signed: false)) to \(money(result.endingEquity, signed: false))")
        lines.append("Exposure         \(exposure(result))")
        lines.append(
            "Orders           \(result.ordersSent) sent, \(result.ordersFilled) filled, \(result.ordersEnded) ended unfilled, \(result.brokerRefusals) refused by the exchange")
        lines.append("Guard rejections \(result.rejectionCount)")
        for (check, count) in result.rejections.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(check.padding(toLength: 18, withPad: " ", startingAt: 0)) \(count)")
        }
        if !result.skippedSignals.isEmpty {
            let skipped = result.skippedSignals.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            lines.append("Alerts skipped   \(skipped)")
        }
        lines.append("")
        lines.append(row(["symbol", "trades", "won", "pnl", "rejected"]))
        let symbols = Set(result.trades.map(\.symbol)).union(result.rejectionsBySymbol.keys).union(result.open.map(\.symbol)).sorted()
        for symbol in symbols {
            let trades = result.trades.filter { $0.symbol == symbol }
            let pnl = trades.reduce(Decimal(0)) { $0 + $1.pnl }
            let rejected = result.rejectionsBySymbol[symbol]?.values.reduce(0, +) ?? 0
            lines.append(row([symbol.rawValue, "\(trades.count)", "\(trades.filter { $0.pnl > 0 }.count)", money(pnl, signed: true), "\(rejected)"]))
        }
        if !result.trades.isEmpty {
            lines.append("")
            lines.append("Trades")
            for trade in result.trades {
                lines.append(
                    "  \(trade.entryTime.rfc3339) \(trade.symbol.rawValue) \(plain(trade.quantity)) @ \(price(trade.entryPrice))"
                        + " -> \(trade.exitTime.rfc3339) @ \(price(trade.exitPrice))  \(money(trade.pnl, signed: true))  \(trade.rule)")
            }
        }
        if !result.open.isEmpty {
            lines.append("")
            lines.append("Open at the end")
            for position in result.open {
                let mid = position.lastMid.map { " (last mid \(price($0)))" } ?? ""
                lines.append("  \(position.symbol.rawValue) \(plain(position.quantity)) @ \(price(position.entryPrice))\(mid)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "peak $X (Y% of the starting equity) at TIME, mean $Z over N ticks" — the positions' value at the mid.
    static func exposure(_ result: ReplayResult) -> String {
        guard result.ticks > 0 else { return "none (no ticks)" }
        var peak = "peak \(money(result.peakExposure, signed: false))"
        if result.startingEquity > 0, result.peakExposure > 0 {
            let basisPoints = cents(result.peakExposure * 100 / result.startingEquity)
            peak += " (\(price(basisPoints))% of the starting equity)"
        }
        if let time = result.peakExposureTime { peak += " at \(time.rfc3339)" }
        return "\(peak), mean \(money(result.meanExposure, signed: false)) over \(result.ticks) tick\(result.ticks == 1 ? "" : "s")"
    }

    static func row(_ cells: [String]) -> String {
        let widths = [8, 7, 5, 12, 9]
        return zip(cells, widths).enumerated().map { index, pair in
            let (cell, width) = pair
            let pad = String(repeating: " ", count: max(0, width - cell.count))
            return index == 0 ? cell + pad : pad + cell
        }.joined(separator: " ")
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        let tenths = (part * 1000 + whole / 2) / whole
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// `$1234.50`, `-$12.00`, `+$3.10` (signed).
    public static func money(_ value: Decimal, signed: Bool) -> String {
        let sign = value < 0 ? "-" : (signed && value > 0 ? "+" : "")
        return "\(sign)$\(price(cents(value.magnitude)))"
    }

    /// A price with at least two decimals (`190.10`, `0.0125`).
    static func price(_ value: Decimal) -> String {
        var text = plain(value)
        if let point = text.firstIndex(of: ".") {
            let decimals = text.distance(from: point, to: text.endIndex) - 1
            text += String(repeating: "0", count: max(0, 2 - decimals))
        } else {
            text += ".00"
        }
        return text
    }

    static func cents(_ value: Decimal) -> Decimal {
        var copy = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &copy, 2, .plain)
        return rounded
    }

    static func plain(_ value: Decimal) -> String {
        var copy = value
        return NSDecimalString(&copy, Locale(identifier: "en_US_POSIX"))
    }
}
