import Foundation
import PaperExchange
import Primitives
import Strategies

/// The recording format, version 1: compact JSON lines, the first a header, every other one event.
///
/// ```
/// {"bulwark_market":1,"session":"nyse","source":"synthetic: seed 7, 1 day"}
/// {"quote":"AAPL","bid":"189.12","ask":"189.14","t":1767623400000}
/// {"flow":"AAPL","id":"9f1c…","kind":"call","premium":"125000","ask_premium":"98000","t":1767623400123}
/// ```
///
/// A live recording (`RECORD_MARKET`) writes an alert at the time Bulwark saw it, with its own creation
/// time as `created` when that is earlier, so a replay skips what live found stale.
///
/// Times are milliseconds since the epoch (UTC) and never go backwards; money is a decimal string, so it
/// is read back exactly. `ask_premium` (the premium paid at the ask) may be left out when the feed does not
/// split the premium by side. A reader refuses a newer version, never guesses.
public enum RecordingFormat {
    public static let version = 1
    public static let headerKey = "bulwark_market"

    /// The header line (without its newline).
    /// `session`: when the recorded market trades (`nyse` or `always`), so a replay matches orders then.
    public static func header(source: String, session: TradingSession) -> String {
        "{\"\(headerKey)\":\(version),\"session\":\"\(session.rawValue)\",\"source\":\(quoted(source))}"
    }

    /// One event's line (without its newline).
    public static func line(_ event: MarketEvent) -> String {
        let time = event.time.epochMilliseconds
        switch event {
        case .quote(let quote):
            return "{\"quote\":\"\(quote.symbol.rawValue)\",\"bid\":\"\(plain(quote.bid))\",\"ask\":\"\(plain(quote.ask))\",\"t\":\(time)}"
        case .flow(let signal, let seenAt):
            var text = "{\"flow\":\"\(signal.symbol.rawValue)\",\"id\":\(quoted(signal.id)),\"kind\":\"\(signal.kind.rawValue)\",\"premium\":\"\(plain(signal.totalPremium))\""
            if let share = signal.askSideShare {
                text += ",\"ask_premium\":\"\(plain(cents(share * signal.totalPremium)))\""
            }
            if let seenAt, seenAt != signal.createdAt { text += ",\"created\":\(signal.createdAt.epochMilliseconds)" }
            return text + ",\"t\":\(time)}"
        }
    }

    /// A decimal in plain notation (`189.12`, never `1.8912E2`).
    public static func plain(_ value: Decimal) -> String {
        var copy = value
        return NSDecimalString(&copy, Locale(identifier: "en_US_POSIX"))
    }

    static func cents(_ value: Decimal) -> Decimal {
        var copy = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &copy, 2, .plain)
        return rounded
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
