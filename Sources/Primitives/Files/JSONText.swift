/// JSON string literals written by hand, for the hot paths where `JSONEncoder` would be too slow (log
/// lines, journal lines, the state file, the paper exchange's answers). One escaper for all of them.
public enum JSON {
    /// Appends `text` as a quoted JSON string (RFC 8259): quotes, backslashes and control characters
    /// escaped, everything else as it is.
    public static func appendString(_ text: String, to json: inout String) {
        json.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": json.append("\\\"")
            case "\\": json.append("\\\\")
            case "\n": json.append("\\n")
            case "\r": json.append("\\r")
            case "\t": json.append("\\t")
            case "\u{08}": json.append("\\b")
            case "\u{0C}": json.append("\\f")
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                json.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default:
                json.unicodeScalars.append(scalar)
            }
        }
        json.append("\"")
    }
}
