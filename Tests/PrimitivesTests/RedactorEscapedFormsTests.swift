import Foundation
@testable import Primitives
import Testing

/// The redactor catches a secret in the forms errors and encoders write it, not only as it is.
struct RedactorEscapedFormsTests {
    private static let secret = "supersecret\nvalue9876/+&\"x"

    /// The secret with its line break written out (as an HTTP library's error shows a refused header),
    /// JSON-escaped, and percent-encoded in upper- and lower-case hex is replaced by its mask.
    @Test(arguments: [
        "invalidHeaderFieldValues([\(String(reflecting: secret))])",
        "{\"error\":\"supersecret\\nvalue9876\\/+&\\\"x\"}",
        "{\"error\":\"supersecret\\nvalue9876/+&\\\"x\"}",
        "GET /v2?key=supersecret%0Avalue9876%2F%2B%26%22x",
        "GET /v2?key=supersecret%0avalue9876%2f%2b%26%22x",
    ])
    func escapedFormsAreRedacted(text: String) {
        let redacted = Redactor(secrets: [Secret(Self.secret)]).redact(text)
        #expect(!redacted.contains("supersecret") && !redacted.contains("value9876"), "\(redacted)")
        #expect(redacted.contains("[redacted su…6/+&\"x]") || redacted.contains("[redacted"), "\(redacted)")
    }
}
