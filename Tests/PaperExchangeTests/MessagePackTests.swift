import Foundation
import PaperExchange
import Primitives
import Testing

/// The market-data stream's MessagePack encoder and decoder.
struct MessagePackTests {
    /// Known encodings from the MessagePack spec: fix forms, sized forms, negative integers, floats.
    @Test func encodesTheSpecsForms() {
        #expect(MessagePackValue.map([(.string("a"), .int(1))]).packed == [0x81, 0xA1, 0x61, 0x01])
        #expect(MessagePackValue.array([.nil, .bool(true), .bool(false)]).packed == [0x93, 0xC0, 0xC3, 0xC2])
        #expect(MessagePackValue.int(-1).packed == [0xFF])
        #expect(MessagePackValue.int(-33).packed == [0xD0, 0xDF])
        #expect(MessagePackValue.int(200).packed == [0xCC, 0xC8])
        #expect(MessagePackValue.int(70_000).packed == [0xCE, 0x00, 0x01, 0x11, 0x70])
        #expect(MessagePackValue.double(1.5).packed == [0xCB, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0])
        #expect(MessagePackValue.string(String(repeating: "x", count: 40)).packed.prefix(2) == [0xD9, 40])
    }

    /// Every kind of value reads back as written, including sizes past each fix form.
    @Test func roundTrips() throws {
        let values: [MessagePackValue] = [
            .nil, .bool(true), .int(0), .int(127), .int(-32), .int(-129), .int(-40_000), .int(Int64.min), .int(Int64.max),
            .uint(UInt64.max), .double(-0.25), .string(""), .string("AAPL"), .string(String(repeating: "é", count: 300)),
            .binary([1, 2, 3]), .array((0..<20).map { .int($0) }), .map((0..<17).map { (.string("k\($0)"), .int($0)) }),
            .timestamp(Timestamp(rfc3339: "2026-03-16T14:00:00.123456789Z")!), .timestamp(Timestamp(rfc3339: "1969-12-31T23:59:59Z")!),
            .ext(type: 5, data: [9, 9, 9]),
        ]
        for value in values {
            #expect(try MessagePackValue(unpacking: value.packed) == value, "\(value)")
        }
    }

    /// Timestamps go out as the 96-bit extension (type -1); the 32- and 64-bit forms alpaca's msgpack may
    /// also write are read.
    @Test func timestampExtension() throws {
        let time = Timestamp(rfc3339: "2026-03-16T14:00:00.5Z")!
        let packed = MessagePackValue.timestamp(time).packed
        #expect(Array(packed.prefix(3)) == [0xC7, 12, 0xFF])
        #expect(try MessagePackValue(unpacking: [0xD6, 0xFF, 0x00, 0x00, 0x00, 0x3C]) == .timestamp(Timestamp(sinceEpoch: .seconds(60))))
        // 64-bit form: 500_000_000 ns << 34 | 60 s.
        let sixtyFour = UInt64(500_000_000) << 34 | 60
        let bytes: [UInt8] = [0xD7, 0xFF] + (0..<8).map { UInt8(truncatingIfNeeded: sixtyFour >> (8 * (7 - UInt64($0)))) }
        #expect(try MessagePackValue(unpacking: bytes) == .timestamp(Timestamp(sinceEpoch: .seconds(60) + .milliseconds(500))))
    }

    /// A stream message's `t` becomes a timestamp, whole numbers integers, prices floats; read back as JSON.
    @Test func fromAndToJSON() throws {
        let quote = try JSONValue(parsing: #"{"T":"q","S":"AAPL","bp":175.1,"bs":3,"t":"2026-03-16T14:00:00.5Z","c":["R"]}"#)
        let value = MessagePackValue(json: quote)
        #expect(value["t"] == .timestamp(Timestamp(rfc3339: "2026-03-16T14:00:00.5Z")!))
        #expect(value["bp"] == .double(175.1))
        #expect(value["bs"] == .int(3))
        let back = try JSONValue(messagePack: try MessagePackValue(unpacking: value.packed))
        #expect(back["t"]?.stringValue.flatMap { Timestamp(rfc3339: $0) } == Timestamp(rfc3339: "2026-03-16T14:00:00.5Z"))
        #expect(back["S"] == .string("AAPL"))
        #expect(back["bp"]?.decimalValue == Decimal(string: "175.1"))
    }

    /// Truncated input, lengths past the end, unknown markers, trailing bytes and deep nesting are refused.
    @Test func refusesBadInput() {
        let bad: [[UInt8]] = [
            [], [0xA5, 0x61], [0xDD, 0xFF, 0xFF, 0xFF, 0xFF], [0xC6, 0x7F, 0xFF, 0xFF, 0xFF, 0x00], [0xC1], [0x01, 0x02],
            Array(repeating: 0x91, count: 100) + [0x01], [0xD6, 0xFF, 0x00], [0xA2, 0xFF, 0xFE],
        ]
        for bytes in bad {
            #expect(throws: MessagePackError.self, "\(bytes.prefix(8))") { try MessagePackValue(unpacking: bytes) }
        }
        #expect(throws: MessagePackError.self) { try JSONValue(messagePack: .map([(.int(1), .int(2))])) }
    }
}
