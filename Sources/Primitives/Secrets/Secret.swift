/// A credential. Its description is masked, so interpolating one into a log line, an error or the
/// screen cannot leak it; the raw value is reachable only through `exposedValue`, for request headers.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public let exposedValue: String

    public init(_ value: String) {
        self.exposedValue = value
    }

    public var masked: String { Self.mask(exposedValue) }
    public var description: String { masked }
    public var debugDescription: String { "Secret(\(masked))" }

    /// First 2 and last 4 characters of a secret of 12 characters or more; shorter ones are hidden
    /// entirely, since showing 6 of them would give most of it away.
    public static func mask(_ value: String) -> String {
        guard value.count >= 12 else { return value.isEmpty ? "" : "****" }
        return "\(value.prefix(2))…\(value.suffix(4))"
    }

    /// The lengths a credential may have: Alpaca key ids are 20 characters, secrets 40, tokens 36.
    public static let acceptedLength = 8...256

    /// What a credential must be, for error messages.
    public static let accepted = "8 to 256 printable ASCII characters with no spaces, tabs, line breaks or other control characters"

    /// Why `value` cannot be a credential, in plain words without a character of it; nil when it can.
    /// Only printable ASCII (0x21–0x7E) goes in a request header whole and can be found again in a log.
    public static func problem(with value: String) -> String? {
        let bytes = Array(value.utf8)
        if bytes.contains(where: { $0 == 0x0A || $0 == 0x0D }) { return "it contains a line break" }
        if bytes.contains(0) { return "it contains a NUL character" }
        if bytes.contains(where: { $0 == 0x20 || $0 == 0x09 }) { return "it contains a space or a tab" }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "it contains a control character" }
        if bytes.contains(where: { $0 > 0x7E }) { return "it contains a character outside printable ASCII" }
        guard acceptedLength.contains(bytes.count) else {
            return "it is \(bytes.count) characters long"
        }
        return nil
    }
}
