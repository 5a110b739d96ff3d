import Foundation
import Primitives

/// `bulwark replay --report PATH`: the replay's result as one self-contained HTML page — inline CSS, the
/// equity, drawdown and exposure curves as inline SVG, the rejections by check, the table per symbol and
/// the trade list. Nothing is fetched (no scripts, fonts or style sheets from elsewhere) and nothing in it
/// depends on when or where it was made: the same result gives the same bytes.
public enum ReplayHTML {
    public static func page(_ result: ReplayResult, files: [String]) -> String {
        var html = ""
        let title = "Bulwark replay of " + files.joined(separator: ", ")
        html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<title>\(escape(title))</title>\n<style>\n\(style)</style>\n</head>\n<body>\n"
        html += "<h1>\(escape(title))</h1>\n"
        let span = result.first.map { first in "\(first.rfc3339) to \((result.last ?? first).rfc3339)" } ?? "no events"
        html += "<p class=\"sub\">\(result.quotes) quotes, \(result.alerts) flow alerts, \(escape(span))</p>\n"
        html += summary(result)
        html += "<h2>Equity</h2>\n"
        html += chart(result.curve.map { ($0.time, $0.equity) }, first: result.first, last: result.last, kind: .line, label: "equity at the mid")
        html += "<h2>Drawdown</h2>\n"
        html += chart(result.curve.map { ($0.time, -$0.drawdown) }, first: result.first, last: result.last, kind: .fall, label: "fall from the peak")
        html += "<h2>Exposure</h2>\n"
        html += "<p class=\"note\">\(escape(ReplayReport.exposure(result))); the positions' value at the mid.</p>\n"
        html += chart(result.curve.map { ($0.time, $0.exposure) }, first: result.first, last: result.last, kind: .area, label: "exposure")
        html += rejections(result)
        html += symbols(result)
        html += trades(result)
        html += "<footer>Made by <code>bulwark replay</code>: the live strategy, trade guard and order executor over the recording, "
        html += "orders matched by the paper exchange's book. Equity and drawdown are read each tick at the mid; the curves "
        html += "show at most \(ReplayResult.curvePoints) points (each the stretch's last equity, largest drawdown and exposure).</footer>\n"
        html += "</body>\n</html>\n"
        return html
    }

    static let style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;margin:24px auto;max-width:960px;\
        padding:0 16px;color:#1c2330;background:#fff}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #d8dde6;padding-bottom:4px}
        .sub,.note,footer{color:#5a6474;font-size:13px}footer{margin-top:32px;border-top:1px solid #d8dde6;padding-top:8px}
        .cards{display:flex;flex-wrap:wrap;gap:8px;margin-top:16px}
        .card{border:1px solid #d8dde6;border-radius:6px;padding:8px 12px;min-width:130px}
        .card b{display:block;font-size:18px;font-variant-numeric:tabular-nums}.card span{color:#5a6474;font-size:12px}
        table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums;width:100%}
        th,td{padding:3px 8px;border-bottom:1px solid #eef0f4;text-align:right;white-space:nowrap}
        th:first-child,td:first-child,td.l,th.l{text-align:left}th{color:#5a6474;font-weight:600}
        .up{color:#1a7f37}.down{color:#c62828}svg{display:block;width:100%;height:auto}
        .bar{display:inline-block;height:10px;background:#c62828;vertical-align:middle}
        svg text{font-size:11px;fill:#5a6474;font-family:inherit}

        """

    static func summary(_ result: ReplayResult) -> String {
        let rate = result.trades.isEmpty ? "-" : ReplayReport.percent(result.wins, of: result.trades.count)
        let cards: [(String, String, String)] = [
            ("\(result.trades.count)", "trades (\(result.wins) won, \(rate))", ""),
            (ReplayReport.money(result.realizedPnL, signed: true), "realised PnL", tone(result.realizedPnL)),
            (ReplayReport.money(result.maxDrawdown, signed: false), "max drawdown", result.maxDrawdown > 0 ? "down" : ""),
            (ReplayReport.money(result.endingEquity, signed: false), "equity (from \(ReplayReport.money(result.startingEquity, signed: false)))", ""),
            ("\(result.ordersSent)", "orders (\(result.ordersFilled) filled, \(result.ordersEnded) unfilled, \(result.brokerRefusals) refused)", ""),
            ("\(result.rejectionCount)", "guard rejections", ""),
            (ReplayReport.money(result.peakExposure, signed: false), "peak exposure", ""),
        ]
        var html = "<div class=\"cards\">\n"
        for (value, label, tone) in cards {
            html += "<div class=\"card\"><b\(tone.isEmpty ? "" : " class=\"\(tone)\"")>\(escape(value))</b><span>\(escape(label))</span></div>\n"
        }
        return html + "</div>\n"
    }

    static func rejections(_ result: ReplayResult) -> String {
        var html = "<h2>Guard rejections by check</h2>\n"
        guard result.rejectionCount > 0 else { return html + "<p class=\"note\">The guard refused nothing.</p>\n" }
        let most = result.rejections.values.max() ?? 1
        html += "<table>\n<tr><th>check</th><th>rejections</th><th class=\"l\"></th></tr>\n"
        for (check, count) in result.rejections.sorted(by: { $0.key < $1.key }) {
            let width = max(1, count * 300 / most)
            html += "<tr><td>\(escape(check))</td><td>\(count)</td><td class=\"l\"><span class=\"bar\" style=\"width:\(width)px\"></span></td></tr>\n"
        }
        return html + "</table>\n"
    }

    static func symbols(_ result: ReplayResult) -> String {
        var html = "<h2>Per symbol</h2>\n"
        let symbols = Set(result.trades.map(\.symbol)).union(result.rejectionsBySymbol.keys).union(result.open.map(\.symbol)).sorted()
        guard !symbols.isEmpty else { return html + "<p class=\"note\">No symbol traded or was refused.</p>\n" }
        html += "<table>\n<tr><th>symbol</th><th>trades</th><th>won</th><th>PnL</th><th>rejected</th><th class=\"l\">by check</th></tr>\n"
        for symbol in symbols {
            let trades = result.trades.filter { $0.symbol == symbol }
            let pnl = trades.reduce(Decimal(0)) { $0 + $1.pnl }
            let checks = result.rejectionsBySymbol[symbol] ?? [:]
            let byCheck = checks.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            html += "<tr><td>\(escape(symbol.rawValue))</td><td>\(trades.count)</td><td>\(trades.filter { $0.pnl > 0 }.count)</td>"
            html += "<td class=\"\(tone(pnl))\">\(ReplayReport.money(pnl, signed: true))</td><td>\(checks.values.reduce(0, +))</td>"
            html += "<td class=\"l\">\(escape(byCheck))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    static func trades(_ result: ReplayResult) -> String {
        var html = "<h2>Trades</h2>\n"
        if result.trades.isEmpty {
            html += "<p class=\"note\">No round trip was closed.</p>\n"
        } else {
            html += "<table>\n<tr><th>entry</th><th class=\"l\">symbol</th><th>quantity</th><th>entry price</th><th>exit</th>"
            html += "<th>exit price</th><th>PnL</th><th class=\"l\">closed by</th></tr>\n"
            for trade in result.trades {
                html += "<tr><td>\(trade.entryTime.rfc3339)</td><td class=\"l\">\(escape(trade.symbol.rawValue))</td>"
                html += "<td>\(ReplayReport.plain(trade.quantity))</td><td>\(ReplayReport.price(trade.entryPrice))</td>"
                html += "<td>\(trade.exitTime.rfc3339)</td><td>\(ReplayReport.price(trade.exitPrice))</td>"
                html += "<td class=\"\(tone(trade.pnl))\">\(ReplayReport.money(trade.pnl, signed: true))</td><td class=\"l\">\(escape(trade.rule))</td></tr>\n"
            }
            html += "</table>\n"
        }
        if !result.open.isEmpty {
            html += "<h2>Open at the end</h2>\n<table>\n<tr><th>symbol</th><th>quantity</th><th>entry price</th><th>last mid</th></tr>\n"
            for position in result.open {
                html += "<tr><td>\(escape(position.symbol.rawValue))</td><td>\(ReplayReport.plain(position.quantity))</td>"
                html += "<td>\(ReplayReport.price(position.entryPrice))</td><td>\(position.lastMid.map(ReplayReport.price) ?? "-")</td></tr>\n"
            }
            html += "</table>\n"
        }
        return html
    }

    enum ChartKind {
        /// A line (equity).
        case line
        /// An area down from zero (drawdown, drawn as a negative).
        case fall
        /// An area up from zero (exposure).
        case area
    }

    static let chartWidth = 900.0
    static let chartHeight = 180.0
    static let left = 84.0
    static let right = 8.0
    static let top = 8.0
    static let bottom = 20.0

    /// An inline SVG of `points` over the span `first`…`last`: four value grid lines labelled in dollars,
    /// the span's ends labelled in UTC.
    static func chart(_ points: [(Timestamp, Decimal)], first: Timestamp?, last: Timestamp?, kind: ChartKind, label: String) -> String {
        let width = chartWidth, height = chartHeight
        var svg = "<svg viewBox=\"0 0 \(number(width)) \(number(height))\" role=\"img\" aria-label=\"\(escape(label))\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        guard let first, let last, !points.isEmpty else {
            return svg + "<text x=\"\(number(left))\" y=\"\(number(height / 2))\">nothing to draw</text>\n</svg>\n"
        }
        let values = points.map { double($0.1) }
        var low = values.min() ?? 0, high = values.max() ?? 0
        if kind != .line {
            low = min(low, 0)
            high = max(high, 0)
        }
        if high - low < 0.01 {
            high += 0.5
            low -= kind == .line ? 0.5 : 0
        }
        let start = seconds(first), span = max(1, seconds(last) - start)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ time: Timestamp) -> Double { left + (seconds(time) - start) / span * plotWidth }
        func y(_ value: Double) -> Double { top + (high - value) / (high - low) * plotHeight }
        for step in 0...3 {
            let value = low + (high - low) * Double(step) / 3
            let position = y(value)
            svg += "<line x1=\"\(number(left))\" y1=\"\(number(position))\" x2=\"\(number(width - right))\" y2=\"\(number(position))\" stroke=\"#eef0f4\"/>\n"
            svg += "<text x=\"\(number(left - 6))\" y=\"\(number(position + 4))\" text-anchor=\"end\">\(escape(dollars(value)))</text>\n"
        }
        svg += "<text x=\"\(number(left))\" y=\"\(number(height - 4))\">\(first.rfc3339)</text>\n"
        svg += "<text x=\"\(number(width - right))\" y=\"\(number(height - 4))\" text-anchor=\"end\">\(last.rfc3339)</text>\n"
        let path = zip(points, values).map { "\(number(x($0.0)))," + number(y($1)) }.joined(separator: " ")
        switch kind {
        case .line:
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"1.5\"/>\n"
        case .fall, .area:
            let zero = number(y(0))
            let firstX = number(x(points[0].0)), lastX = number(x(points[points.count - 1].0))
            let colour = kind == .fall ? "#c62828" : "#b7791f"
            svg += "<polygon points=\"\(firstX),\(zero) \(path) \(lastX),\(zero)\" fill=\"\(colour)\" fill-opacity=\"0.25\" stroke=\"\(colour)\" stroke-width=\"1\"/>\n"
        }
        return svg + "</svg>\n"
    }

    static func tone(_ value: Decimal) -> String { value > 0 ? "up" : (value < 0 ? "down" : "") }

    static func double(_ value: Decimal) -> Double { NSDecimalNumber(decimal: value).doubleValue }

    static func seconds(_ time: Timestamp) -> Double {
        let (whole, attoseconds) = time.sinceEpoch.components
        return Double(whole) + Double(attoseconds) / 1e18
    }

    /// A coordinate with one decimal, in the POSIX locale.
    static func number(_ value: Double) -> String { String(format: "%.1f", locale: Locale(identifier: "en_US_POSIX"), value) }

    /// A grid line's label: dollars to the cent.
    static func dollars(_ value: Double) -> String {
        let text = String(format: "%.2f", locale: Locale(identifier: "en_US_POSIX"), abs(value))
        return (value < -0.004 ? "-$" : "$") + text
    }

    /// Text made safe inside HTML elements and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
