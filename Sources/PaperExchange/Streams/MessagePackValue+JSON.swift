import Foundation
import Primitives

extension MessagePackValue {
    /// The stream message `json` in MessagePack, as Alpaca sends it: whole-number numbers as integers,
    /// others as 64-bit floats, and a member `t` holding an RFC 3339 time as the timestamp extension.
    public init(json: JSONValue) {
        self.init(json: json, key: nil)
    }

    private init(json: JSONValue, key: String?) {
        switch json {
        case .null: self = .nil
        case .bool(let value): self = .bool(value)
        case .number(let text):
            if let integer = Int64(text) {
                self = .int(integer)
            } else {
                self = .double(Double(text) ?? 0)
            }
        case .string(let text):
            if key == "t", let time = Timestamp(rfc3339: text) {
                self = .timestamp(time)
            } else {
                self = .string(text)
            }
        case .array(let elements): self = .array(elements.map { MessagePackValue(json: $0, key: nil) })
        case .object(let object):
            self = .map(object.members.map { (key: .string($0.key), value: MessagePackValue(json: $0.value, key: $0.key)) })
        }
    }
}

extension JSONValue {
    /// A client's MessagePack message as JSON, so one reader serves both encodings: timestamps become
    /// RFC 3339 strings; binary data, other extensions and maps with keys that are not strings are refused.
    public init(messagePack value: MessagePackValue) throws(MessagePackError) {
        switch value {
        case .nil: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let integer): self = .number(String(integer))
        case .uint(let integer): self = .number(String(integer))
        case .double(let number):
            guard number.isFinite else { throw MessagePackError(description: "a number that is not finite") }
            self = .number(DecimalText.format(Decimal(number)))
        case .string(let text): self = .string(text)
        case .timestamp(let time): self = .string(time.rfc3339)
        case .array(let elements):
            var converted: [JSONValue] = []
            for element in elements { converted.append(try JSONValue(messagePack: element)) }
            self = .array(converted)
        case .map(let members):
            var object = JSONObject()
            for member in members {
                guard case .string(let key) = member.key else { throw MessagePackError(description: "a map key that is not a string") }
                object[key] = try JSONValue(messagePack: member.value)
            }
            self = .object(object)
        case .binary, .ext:
            throw MessagePackError(description: "binary data where a message was expected")
        }
    }
}
