@testable import Persistence
import Testing

/// The state file's checksum is SHA-256: the same digests the hand-written hasher it replaced gave, so files
/// written before still verify.
struct StateChecksumTests {
    /// The digest matches the FIPS 180-4 test vectors, across block boundaries.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "The quick brown fox jumps over the lazy dog",
            "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
        ),
    ])
    func knownVectors(input: String, expected: String) {
        #expect(StateChecksum.hexDigest(of: input.utf8) == expected)
    }

    /// A million `a`s hash to the published digest.
    @Test func millionAs() {
        #expect(
            StateChecksum.hexDigest(of: repeatElement(UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
