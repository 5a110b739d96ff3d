import Foundation
import Primitives

/// Decoding rules every contract type follows: money arrives as strings and is read exactly; anything
/// that breaks the contract names the field and what was found.
extension KeyedDecodingContainer {
    /// A money or quantity string such as `"174.78"`, read exactly as a `Decimal`.
    func decodeMoney(_ key: Key) throws -> Decimal {
        let text = try decode(String.self, forKey: key)
        guard let value = Decimal(plainText: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a decimal string, found \"\(text)\"")
        }
        return value
    }

    /// A money string that may be null or absent.
    func decodeMoneyIfPresent(_ key: Key) throws -> Decimal? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let value = Decimal(plainText: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a decimal string, found \"\(text)\"")
        }
        return value
    }

    /// A decimal sent as a string by some versions of an API and as a number by others.
    func decodeFlexibleDecimalIfPresent(_ key: Key) throws -> Decimal? {
        if let text = try? decodeIfPresent(String.self, forKey: key) {
            guard let value = Decimal(plainText: text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a decimal, found \"\(text)\"")
            }
            return value
        }
        return try decodeIfPresent(Decimal.self, forKey: key)
    }

    func decodeSymbol(_ key: Key) throws -> Symbol {
        let text = try decode(String.self, forKey: key)
        guard let symbol = Symbol(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a ticker symbol, found \"\(text)\"")
        }
        return symbol
    }
}

/// A string enumeration that grows: values this build does not know are kept as `unknown`, never refused.
public protocol OpenEnumeration: Hashable, Sendable, Decodable {
    static func unknown(_ raw: String) -> Self
    init?(known raw: String)
    var rawValue: String { get }
}

extension OpenEnumeration {
    public init(raw: String) {
        self = Self(known: raw) ?? .unknown(raw)
    }

    public init(from decoder: any Decoder) throws {
        self.init(raw: try decoder.singleValueContainer().decode(String.self))
    }
}
