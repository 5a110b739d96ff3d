import Foundation

/// Replaces every known secret in a text with its mask. Applied to every log line and every error text
/// before it is written, shown or answered, as a second wall behind `Secret`'s masked description.
///
/// A secret is caught in the forms an error or an encoder writes it as, not only as it is: with control
/// characters written out (`\n`, `\u{0}`, as Swift's debug descriptions do), JSON-escaped, and
/// percent-encoded (upper or lower case hex).
public struct Redactor: Sendable {
    private let secrets: [(value: String, mask: String)]

    public init(secrets: [Secret]) {
        var forms: [(value: String, mask: String)] = []
        for secret in secrets where secret.exposedValue.count >= 4 {
            let mask = "[redacted \(secret.masked)]"
            for form in Self.forms(of: secret.exposedValue) where !forms.contains(where: { $0.value == form }) {
                forms.append((form, mask))
            }
        }
        // Longest first, so a secret (or form) that contains another is replaced whole.
        self.secrets = forms.sorted { $0.value.utf8.count > $1.value.utf8.count }
    }

    public static let none = Redactor(secrets: [])

    public func redact(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        var text = text
        for secret in secrets where text.contains(secret.value) {
            text = text.replacingOccurrences(of: secret.value, with: secret.mask)
        }
        return text
    }

    /// The value as it is, and as escapers write it.
    static func forms(of value: String) -> [String] {
        var forms = [value, debugEscaped(value), swiftEscaped(value), swiftEscaped(value, asciiOnly: true), jsonEscaped(value), jsonEscaped(value, slash: true)]
        let encoded = percentEncoded(value)
        forms += [encoded, encoded.lowercasedHex(), percentEncoded(value, keepUnreserved: false)]
        forms += [value.replacingOccurrences(of: " ", with: "+")]
        var unique: [String] = []
        for form in forms where !unique.contains(form) { unique.append(form) }
        return unique
    }

    /// As `String.debugDescription` (and so an array's or an enum's description) writes it, without the quotes.
    static func debugEscaped(_ value: String) -> String {
        String(String(reflecting: value).dropFirst().dropLast())
    }

    /// As `Unicode.Scalar.escaped` writes it: `\n`, `\t`, `\r`, `\0`, `\"`, `\'`, `\\`, `\u{7F}`.
    static func swiftEscaped(_ value: String, asciiOnly: Bool = false) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            out += scalar.escaped(asASCII: asciiOnly)
        }
        return out
    }

    /// As a JSON string body (`\n`, `\u0000`, `\"`, `\\`; `\/` when `slash`).
    static func jsonEscaped(_ value: String, slash: Bool = false) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/" where slash: out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Percent-encoded: every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`), or every byte.
    static func percentEncoded(_ value: String, keepUnreserved: Bool = true) -> String {
        var out = ""
        for byte in value.utf8 {
            let isUnreserved =
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
            if isUnreserved && keepUnreserved {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}

extension String {
    /// `%2F` → `%2f`: the same percent-encoding with lower-case hex digits.
    fileprivate func lowercasedHex() -> String {
        var out = ""
        var remaining = 0
        for character in self {
            if character == "%" {
                remaining = 2
                out.append(character)
            } else if remaining > 0 {
                remaining -= 1
                out += character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }
}
