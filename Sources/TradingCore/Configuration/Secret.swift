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
}
