import Foundation

/// Replaces every known secret in a text with its mask. Applied to every log line before it is written
/// or forwarded, as a second wall behind `Secret`'s masked description.
public struct Redactor: Sendable {
    private let secrets: [(value: String, mask: String)]

    public init(secrets: [Secret]) {
        // Longest first, so a secret that contains another is replaced whole.
        self.secrets = secrets
            .filter { $0.exposedValue.count >= 4 }
            .sorted { $0.exposedValue.count > $1.exposedValue.count }
            .map { ($0.exposedValue, "[redacted \($0.masked)]") }
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
}
