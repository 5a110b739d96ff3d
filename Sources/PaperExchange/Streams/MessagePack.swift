import Foundation
import Primitives

/// A MessagePack value (https://github.com/msgpack/msgpack/blob/master/spec.md): what Alpaca's market-data
/// stream speaks to a client that asks for `Content-Type: application/msgpack` (alpaca-py's
/// `StockDataStream` does). Only what the stream needs: nil, booleans, integers, floats, strings, binary,
/// arrays, maps and the timestamp extension (type -1), which alpaca-py turns into a datetime with
/// `msg["t"].to_datetime()`.
public enum MessagePackValue: Sendable, Equatable {
    case `nil`
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case binary([UInt8])
    case array([MessagePackValue])
    /// Members in order.
    case map([(key: MessagePackValue, value: MessagePackValue)])
    case timestamp(Timestamp)
    /// Any other extension type.
    case ext(type: Int8, data: [UInt8])

    public static func == (lhs: MessagePackValue, rhs: MessagePackValue) -> Bool {
        switch (lhs, rhs) {
        case (.nil, .nil): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.uint(let a), .uint(let b)): a == b
        case (.int(let a), .uint(let b)), (.uint(let b), .int(let a)): a >= 0 && UInt64(a) == b
        case (.double(let a), .double(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.binary(let a), .binary(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.map(let a), .map(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.timestamp(let a), .timestamp(let b)): a == b
        case (.ext(let t1, let d1), .ext(let t2, let d2)): t1 == t2 && d1 == d2
        default: false
        }
    }

    /// The value at string key `key` of a map.
    public subscript(key: String) -> MessagePackValue? {
        guard case .map(let members) = self else { return nil }
        return members.first { $0.key == .string(key) }?.value
    }
}

/// Why bytes are not one MessagePack value.
public struct MessagePackError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

extension MessagePackValue {
    /// The encoding, in the smallest form for each value.
    public var packed: [UInt8] {
        var output: [UInt8] = []
        pack(into: &output)
        return output
    }

    private func pack(into output: inout [UInt8]) {
        switch self {
        case .nil:
            output.append(0xC0)
        case .bool(let value):
            output.append(value ? 0xC3 : 0xC2)
        case .int(let value):
            if value >= 0 {
                Self.packUnsigned(UInt64(value), into: &output)
            } else if value >= -32 {
                output.append(UInt8(bitPattern: Int8(value)))
            } else if value >= Int64(Int8.min) {
                output.append(0xD0)
                output.append(UInt8(bitPattern: Int8(value)))
            } else if value >= Int64(Int16.min) {
                output.append(0xD1)
                Self.appendBigEndian(UInt64(UInt16(bitPattern: Int16(value))), bytes: 2, to: &output)
            } else if value >= Int64(Int32.min) {
                output.append(0xD2)
                Self.appendBigEndian(UInt64(UInt32(bitPattern: Int32(value))), bytes: 4, to: &output)
            } else {
                output.append(0xD3)
                Self.appendBigEndian(UInt64(bitPattern: value), bytes: 8, to: &output)
            }
        case .uint(let value):
            Self.packUnsigned(value, into: &output)
        case .double(let value):
            output.append(0xCB)
            Self.appendBigEndian(value.bitPattern, bytes: 8, to: &output)
        case .string(let text):
            let bytes = Array(text.utf8)
            Self.packHeader(count: bytes.count, fix: (0xA0, 31), forms: [(0xD9, 1), (0xDA, 2), (0xDB, 4)], into: &output)
            output += bytes
        case .binary(let bytes):
            Self.packHeader(count: bytes.count, fix: nil, forms: [(0xC4, 1), (0xC5, 2), (0xC6, 4)], into: &output)
            output += bytes
        case .array(let elements):
            Self.packHeader(count: elements.count, fix: (0x90, 15), forms: [(0xDC, 2), (0xDD, 4)], into: &output)
            for element in elements { element.pack(into: &output) }
        case .map(let members):
            Self.packHeader(count: members.count, fix: (0x80, 15), forms: [(0xDE, 2), (0xDF, 4)], into: &output)
            for member in members {
                member.key.pack(into: &output)
                member.value.pack(into: &output)
            }
        case .timestamp(let time):
            // timestamp 96 (ext 8, type -1): nanoseconds as uint32, then seconds as int64. It holds any
            // instant; alpaca-py's msgpack reads every form.
            let (seconds, nanoseconds) = time.epochComponents
            output += [0xC7, 12, 0xFF]
            appendTimestamp96(seconds: seconds, nanoseconds: nanoseconds, to: &output)
        case .ext(let type, let data):
            switch data.count {
            case 1: output.append(0xD4)
            case 2: output.append(0xD5)
            case 4: output.append(0xD6)
            case 8: output.append(0xD7)
            case 16: output.append(0xD8)
            default: Self.packHeader(count: data.count, fix: nil, forms: [(0xC7, 1), (0xC8, 2), (0xC9, 4)], into: &output)
            }
            output.append(UInt8(bitPattern: type))
            output += data
        }
    }

    private func appendTimestamp96(seconds: Int64, nanoseconds: Int64, to output: inout [UInt8]) {
        Self.appendBigEndian(UInt64(UInt32(nanoseconds)), bytes: 4, to: &output)
        Self.appendBigEndian(UInt64(bitPattern: seconds), bytes: 8, to: &output)
    }

    private static func packUnsigned(_ value: UInt64, into output: inout [UInt8]) {
        switch value {
        case 0...0x7F: output.append(UInt8(value))
        case 0...0xFF: output += [0xCC, UInt8(value)]
        case 0...0xFFFF:
            output.append(0xCD)
            appendBigEndian(value, bytes: 2, to: &output)
        case 0...0xFFFF_FFFF:
            output.append(0xCE)
            appendBigEndian(value, bytes: 4, to: &output)
        default:
            output.append(0xCF)
            appendBigEndian(value, bytes: 8, to: &output)
        }
    }

    /// A length header: the fix form when it fits, else the first of `forms` (marker, length bytes) that does.
    private static func packHeader(count: Int, fix: (UInt8, Int)?, forms: [(UInt8, Int)], into output: inout [UInt8]) {
        if let fix, count <= fix.1 {
            output.append(fix.0 | UInt8(count))
            return
        }
        for (marker, width) in forms where width == 4 || count < 1 << (8 * width) {
            output.append(marker)
            appendBigEndian(UInt64(count), bytes: width, to: &output)
            return
        }
    }

    static func appendBigEndian(_ value: UInt64, bytes: Int, to output: inout [UInt8]) {
        for index in stride(from: bytes - 1, through: 0, by: -1) { output.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }
}

extension MessagePackValue {
    /// Reads exactly one value from `bytes`; nesting deeper than `maximumDepth` is refused, and so are
    /// lengths that run past the end (a hostile length never allocates beyond the input's size).
    public init(unpacking bytes: [UInt8], maximumDepth: Int = 32) throws(MessagePackError) {
        var reader = Reader(bytes: bytes, maximumDepth: maximumDepth)
        self = try reader.value(depth: 0)
        guard reader.index == bytes.count else { throw MessagePackError(description: "unexpected bytes after the value") }
    }

    private struct Reader {
        let bytes: [UInt8]
        let maximumDepth: Int
        var index = 0

        mutating func take(_ count: Int) throws(MessagePackError) -> ArraySlice<UInt8> {
            guard count >= 0, count <= bytes.count - index else { throw MessagePackError(description: "unexpected end of input") }
            defer { index += count }
            return bytes[index..<(index + count)]
        }

        mutating func unsigned(_ width: Int) throws(MessagePackError) -> UInt64 {
            try take(width).reduce(0) { $0 << 8 | UInt64($1) }
        }

        mutating func length(_ width: Int) throws(MessagePackError) -> Int {
            let value = try unsigned(width)
            // Every element takes at least one byte: a count past the input's end is a lie.
            guard value <= UInt64(bytes.count - index) else { throw MessagePackError(description: "length \(value) runs past the end") }
            return Int(value)
        }

        mutating func string(_ count: Int) throws(MessagePackError) -> MessagePackValue {
            guard let text = String(validating: try take(count), as: UTF8.self) else {
                throw MessagePackError(description: "a string that is not UTF-8")
            }
            return .string(text)
        }

        mutating func value(depth: Int) throws(MessagePackError) -> MessagePackValue {
            guard depth <= maximumDepth else { throw MessagePackError(description: "nested deeper than \(maximumDepth)") }
            let marker = try take(1).first!
            switch marker {
            case 0x00...0x7F: return .int(Int64(marker))
            case 0x80...0x8F: return try map(Int(marker & 0x0F), depth: depth)
            case 0x90...0x9F: return try array(Int(marker & 0x0F), depth: depth)
            case 0xA0...0xBF: return try string(Int(marker & 0x1F))
            case 0xC0: return .nil
            case 0xC2: return .bool(false)
            case 0xC3: return .bool(true)
            case 0xC4: return .binary(Array(try take(try length(1))))
            case 0xC5: return .binary(Array(try take(try length(2))))
            case 0xC6: return .binary(Array(try take(try length(4))))
            case 0xC7: return try ext(try length(1))
            case 0xC8: return try ext(try length(2))
            case 0xC9: return try ext(try length(4))
            case 0xCA: return .double(Double(Float(bitPattern: UInt32(try unsigned(4)))))
            case 0xCB: return .double(Double(bitPattern: try unsigned(8)))
            case 0xCC: return .int(Int64(try unsigned(1)))
            case 0xCD: return .int(Int64(try unsigned(2)))
            case 0xCE: return .int(Int64(try unsigned(4)))
            case 0xCF:
                let value = try unsigned(8)
                return value <= UInt64(Int64.max) ? .int(Int64(value)) : .uint(value)
            case 0xD0: return .int(Int64(Int8(truncatingIfNeeded: try unsigned(1))))
            case 0xD1: return .int(Int64(Int16(truncatingIfNeeded: try unsigned(2))))
            case 0xD2: return .int(Int64(Int32(truncatingIfNeeded: try unsigned(4))))
            case 0xD3: return .int(Int64(bitPattern: try unsigned(8)))
            case 0xD4: return try ext(1)
            case 0xD5: return try ext(2)
            case 0xD6: return try ext(4)
            case 0xD7: return try ext(8)
            case 0xD8: return try ext(16)
            case 0xD9: return try string(try length(1))
            case 0xDA: return try string(try length(2))
            case 0xDB: return try string(try length(4))
            case 0xDC: return try array(try length(2), depth: depth)
            case 0xDD: return try array(try length(4), depth: depth)
            case 0xDE: return try map(try length(2), depth: depth)
            case 0xDF: return try map(try length(4), depth: depth)
            case 0xE0...0xFF: return .int(Int64(Int8(bitPattern: marker)))
            default: throw MessagePackError(description: "unknown marker 0x\(String(marker, radix: 16))")
            }
        }

        mutating func array(_ count: Int, depth: Int) throws(MessagePackError) -> MessagePackValue {
            var elements: [MessagePackValue] = []
            for _ in 0..<count { elements.append(try value(depth: depth + 1)) }
            return .array(elements)
        }

        mutating func map(_ count: Int, depth: Int) throws(MessagePackError) -> MessagePackValue {
            var members: [(key: MessagePackValue, value: MessagePackValue)] = []
            for _ in 0..<count {
                let key = try value(depth: depth + 1)
                members.append((key, try value(depth: depth + 1)))
            }
            return .map(members)
        }

        mutating func ext(_ count: Int) throws(MessagePackError) -> MessagePackValue {
            let type = Int8(bitPattern: try take(1).first!)
            let data = Array(try take(count))
            guard type == -1 else { return .ext(type: type, data: data) }
            var reader = Reader(bytes: data, maximumDepth: 0)
            switch count {
            case 4:
                return .timestamp(Timestamp(sinceEpoch: .seconds(Int64(try reader.unsigned(4)))))
            case 8:
                let packed = try reader.unsigned(8)
                let nanoseconds = Int64(packed >> 34)
                let seconds = Int64(packed & 0x3_FFFF_FFFF)
                return try Self.timestamp(seconds: seconds, nanoseconds: nanoseconds)
            case 12:
                let nanoseconds = Int64(try reader.unsigned(4))
                let seconds = Int64(bitPattern: try reader.unsigned(8))
                return try Self.timestamp(seconds: seconds, nanoseconds: nanoseconds)
            default:
                throw MessagePackError(description: "a timestamp of \(count) bytes")
            }
        }

        static func timestamp(seconds: Int64, nanoseconds: Int64) throws(MessagePackError) -> MessagePackValue {
            guard nanoseconds < 1_000_000_000 else { throw MessagePackError(description: "a timestamp with \(nanoseconds) nanoseconds") }
            return .timestamp(Timestamp(sinceEpoch: .seconds(seconds) + .nanoseconds(nanoseconds)))
        }
    }
}
