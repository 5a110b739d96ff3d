import Foundation
import Primitives

/// A JSON document as it is written on the wire: object keys keep their order and numbers keep their
/// literal text, so a price is sent as `175.24` and money as `"175.24"` without passing through `Double`.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, as its literal text (`175.24`, `4`, `-0.5`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The member `key` of an object; `nil` for a missing key or a value that is not an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The element at `index` of an array; `nil` when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// A number, or a string holding a plain decimal (Alpaca accepts both for quantities and prices).
    public var decimalValue: Decimal? {
        switch self {
        case .number(let text), .string(let text): DecimalText.parse(text)
        default: nil
        }
    }

    public var intValue: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }

    /// The JSON type's name: `null`, `boolean`, `number`, `string`, `array` or `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue {
    /// Money in Alpaca's form: a JSON string holding a plain decimal.
    public static func money(_ value: Decimal) -> JSONValue { .string(DecimalText.format(value)) }

    /// Optional money: `null` when absent.
    public static func money(_ value: Decimal?) -> JSONValue { value.map { .money($0) } ?? .null }

    /// A price in market-data form: a JSON number.
    public static func price(_ value: Decimal) -> JSONValue { .number(DecimalText.format(value)) }

    public static func int(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }

    public static func timestamp(_ value: Timestamp) -> JSONValue { .string(value.rfc3339) }

    public static func timestamp(_ value: Timestamp?) -> JSONValue { value.map { .timestamp($0) } ?? .null }

    public static func string(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
}

/// A JSON object whose members keep the order they were written in.
public struct JSONObject: Sendable, Equatable, ExpressibleByDictionaryLiteral, Sequence {
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var members: [Member]

    public init(_ members: [Member] = []) {
        self.members = members
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.members = elements.map { Member(key: $0.0, value: $0.1) }
    }

    public var keys: [String] { members.map(\.key) }

    public subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }
}

/// Plain decimal text: what Alpaca writes for money and what it accepts for quantities and prices.
public enum DecimalText {
    /// `175.1`, `-0.98`, `100000`: no exponent, no trailing zeros after the point.
    public static func format(_ value: Decimal) -> String {
        value.isZero ? "0" : value.description
    }

    /// Parses `[-]digits[.digits]` exactly (a JSON number's grammar, exponent allowed); nil for anything else,
    /// including `1.2.3`, `12abc`, `.5` and an empty string.
    public static func parse(_ text: String) -> Decimal? {
        guard JSONNumberGrammar.matches(Array(text.utf8)) else { return nil }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), !value.isNaN else {
            return nil
        }
        return value
    }
}

/// RFC 8259's number grammar: `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
enum JSONNumberGrammar {
    static func matches(_ bytes: [UInt8]) -> Bool {
        var index = 0
        return scan(bytes, &index) && index == bytes.count
    }

    /// Advances `index` over one number; false if none starts there.
    static func scan(_ bytes: [UInt8], _ index: inout Int) -> Bool {
        func digit(_ at: Int) -> Bool { at < bytes.count && bytes[at] >= 0x30 && bytes[at] <= 0x39 }
        var i = index
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { return false }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while digit(i) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        index = i
        return true
    }
}
