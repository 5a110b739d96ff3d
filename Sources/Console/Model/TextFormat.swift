import Foundation
import Primitives

/// How numbers and times are written on screen. Done once when an event arrives, so drawing a frame
/// never formats a `Decimal`.
public enum TextFormat {
    /// Money with exactly two decimals: `187.20`, `-3.10`.
    public static func money(_ value: Decimal) -> String {
        fixed(value, places: 2)
    }

    /// Money with a sign always written: `+28.00`, `-3.10`, `0.00`.
    public static func signedMoney(_ value: Decimal) -> String {
        let text = fixed(value, places: 2)
        return value > 0 ? "+" + text : text
    }

    /// A quantity as it is: `10`, `-5`, `0.5`.
    public static func quantity(_ value: Decimal) -> String {
        plain(value)
    }

    /// `HH:MM:SS` in UTC.
    public static func clock(_ time: Timestamp) -> String {
        let seconds = time.epochComponents.seconds
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400 }
        let hour = Int(secondOfDay / 3600)
        let minute = Int(secondOfDay % 3600 / 60)
        let second = Int(secondOfDay % 60)
        return twoDigits(hour) + ":" + twoDigits(minute) + ":" + twoDigits(second)
    }

    /// `YYYY-MM-DD HH:MM:SS UTC`, for details.
    public static func dateTime(_ time: Timestamp) -> String {
        let rfc = time.rfc3339
        return String(rfc.prefix(10)) + " " + clock(time) + " UTC"
    }

    /// A value rounded half away from zero to `places` decimals, written with exactly that many.
    static func fixed(_ value: Decimal, places: Int) -> String {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, places, .plain)
        var text = plain(rounded)
        if text == "-0" { text = "0" }
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: text.index(after: dot), to: text.endIndex)
            if decimals < places { text += String(repeating: "0", count: places - decimals) }
        } else if places > 0 {
            text += "." + String(repeating: "0", count: places)
        }
        return text
    }

    /// A decimal without exponent or grouping (Foundation's description is already plain and uses `.`).
    static func plain(_ value: Decimal) -> String {
        value.description
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }
}
