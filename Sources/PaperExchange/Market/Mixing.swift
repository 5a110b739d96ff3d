import Primitives

/// Stable hashing for the exchange's deterministic choices. Swift's `Hasher` is seeded per process, so
/// everything that must be the same on every run and machine (ids, walks, alerts) goes through here.
enum Mixing {
    /// One well-mixed value from several: the SplitMix64 finalizer applied in a chain.
    static func hash(_ values: UInt64...) -> UInt64 {
        var state: UInt64 = 0x243F_6A88_85A3_08D3
        for value in values {
            var generator = SeededGenerator(seed: state ^ value)
            state = generator.next()
        }
        return state
    }

    /// FNV-1a over the UTF-8 bytes of `text`.
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// A generator for one deterministic decision, keyed by `values`.
    static func generator(_ values: UInt64...) -> SeededGenerator {
        var state: UInt64 = 0x1319_8A2E_0370_7344
        for value in values {
            var generator = SeededGenerator(seed: state ^ value)
            state = generator.next()
        }
        return SeededGenerator(seed: state)
    }

    /// A version-4-shaped UUID string made from two hashes of `values`, lower case like Alpaca's.
    static func uuid(_ values: UInt64...) -> String {
        var generator = SeededGenerator(seed: values.reduce(0x4528_21E6_38D0_1377) { hash($0, $1) })
        let high = generator.next()
        let low = generator.next()
        var bytes: [UInt8] = (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte -> String in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }
}
