import Foundation
import Primitives

/// Words a decoding failure as a contract problem: which field, what was expected, what was found.
enum SchemaProblem {
    static func describe(_ error: any Error, body: [UInt8]) -> String {
        guard let error = error as? DecodingError else { return "\(error.operatorText)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing required field `\(path(context.codingPath + [key]))`"
        case .valueNotFound(_, let context):
            return "field `\(path(context.codingPath))` is null, a value is required"
        case .typeMismatch(let type, let context):
            return "field `\(path(context.codingPath))`: expected \(describe(type)), found \(found(at: context.codingPath, in: body))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return "the body is not valid JSON (\(body.count) bytes, starting \"\(String(decoding: body.prefix(40), as: UTF8.self))\")"
            }
            return "field `\(path(context.codingPath))`: \(context.debugDescription)"
        @unknown default:
            return "\(error.operatorText)"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Decimal.Type, is Int.Type, is Double.Type: "a number"
        default: "\(type)"
        }
    }

    /// What the body holds at `keys`, for "found …".
    private static func found(at keys: [any CodingKey], in body: [UInt8]) -> String {
        guard var value = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else { return "an unreadable body" }
        for key in keys {
            if let index = key.intValue, let array = value as? [Any], array.indices.contains(index) {
                value = array[index]
            } else if let object = value as? [String: Any], let next = object[key.stringValue] {
                value = next
            } else {
                return "nothing"
            }
        }
        if type(of: value) == Bool.self, let flag = value as? Bool { return "a boolean \(flag)" }
        switch value {
        case is NSNull: return "null"
        case let text as String: return "a string \"\(text.prefix(40))\""
        case let number as NSNumber: return "a number \(number)"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        default: return "\(type(of: value))"
        }
    }
}
