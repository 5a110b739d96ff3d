@testable import Primitives
import Testing

struct SecretTests {
    /// Long secrets show their first 2 and last 4 characters; short ones are hidden entirely.
    @Test(arguments: [
        ("AKIAXXXXXXXXWXYZ", "AK…WXYZ"), ("123456789012", "12…9012"), ("12345678901", "****"), ("abc", "****"), ("", ""),
    ])
    func masking(value: String, masked: String) {
        #expect(Secret.mask(value) == masked)
        #expect("\(Secret(value))" == masked)
        #expect(String(reflecting: Secret(value)) == "Secret(\(masked))")
    }

    /// The redactor replaces every occurrence of every secret, the longer one first.
    @Test func redactor() {
        let redactor = Redactor(secrets: [Secret("topsecretvalue1234"), Secret("topsecretvalue1234-and-more")])
        let text = redactor.redact("a=topsecretvalue1234 b=topsecretvalue1234-and-more")
        #expect(!text.contains("topsecretvalue"))
        #expect(text == "a=[redacted to…1234] b=[redacted to…more]")
    }
}
