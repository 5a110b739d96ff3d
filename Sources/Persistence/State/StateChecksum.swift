import Crypto

/// The state file's checksum: SHA-256 (swift-crypto), written as 64 lowercase hex digits.
enum StateChecksum {
    static func hexDigest(of bytes: some Sequence<UInt8>) -> String {
        let digest = SHA256.hash(data: Array(bytes))
        var text = ""
        text.reserveCapacity(SHA256.byteCount * 2)
        for byte in digest {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0f)])
        }
        return text
    }

    private static let hexDigits: [Character] = Array("0123456789abcdef")
}
