import Foundation

extension Decimal {
    /// A decimal written plainly: an optional `-`, digits, and optionally `.` and digits. Nothing else —
    /// no exponent, separator, space or trailing text (Foundation's `Decimal(string:)` reads "12abc" as 12).
    public init?(plainText text: some StringProtocol) {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.count <= 2,
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } })
        else { return nil }
        guard let value = Decimal(string: String(text), locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        self = value
    }
}
