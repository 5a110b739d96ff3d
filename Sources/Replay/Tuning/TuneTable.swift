import Foundation
import Primitives

/// `bulwark tune`'s table: one row per combination of settings, with its PnL, drawdown, trades and guard
/// rejections; a `*` marks the rows no other row beats on both PnL (higher) and drawdown (lower).
public enum TuneTable {
    public struct Row: Sendable {
        public var settings: [String: String]
        public var result: ReplayResult

        public init(settings: [String: String], result: ReplayResult) {
            self.settings = settings
            self.result = result
        }
    }

    /// Whether `row` is beaten by another on both PnL and drawdown (at least as good on each, better on one).
    public static func isDominated(_ row: Row, in rows: [Row]) -> Bool {
        rows.contains { other in
            let pnl = other.result.realizedPnL, drawdown = other.result.maxDrawdown
            let atLeast = pnl >= row.result.realizedPnL && drawdown <= row.result.maxDrawdown
            let better = pnl > row.result.realizedPnL || drawdown < row.result.maxDrawdown
            return atLeast && better
        }
    }

    public static func text(_ rows: [Row], names: [String]) -> String {
        let headers = names + ["pnl", "drawdown", "trades", "won", "rejected", ""]
        var table: [[String]] = [headers]
        for row in rows {
            let result = row.result
            table.append(
                names.map { row.settings[$0] ?? "" } + [
                    ReplayReport.money(result.realizedPnL, signed: true), ReplayReport.money(result.maxDrawdown, signed: false),
                    "\(result.trades.count)", "\(result.wins)", "\(result.rejectionCount)", isDominated(row, in: rows) ? "" : "*",
                ])
        }
        let widths = headers.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        var lines = table.map { cells in
            cells.enumerated().map { column, cell in String(repeating: " ", count: widths[column] - cell.count) + cell }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        lines.append("")
        lines.append("* no other setting has both a higher PnL and a lower drawdown. The configuration is not changed.")
        return lines.joined(separator: "\n") + "\n"
    }
}
