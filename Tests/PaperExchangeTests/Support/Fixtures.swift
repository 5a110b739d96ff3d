import Foundation
import PaperExchange
import Testing

/// The contract samples, copied byte for byte from shared/contracts into Tests/PaperExchangeTests/Fixtures
/// so these tests are self-contained (`FixtureTests` checks that the copies have not drifted).
/// `trade_latest.json` is the one fixture not from shared/contracts: Alpaca's latest-trade shape, from
/// its market-data documentation. The `stream_*.json` samples are not from shared/contracts either: the
/// trading stream's messages (`stream_authorization`, `stream_listening`, `stream_trade_update_*`) and the
/// market-data stream's (`stream_md_*`), from Alpaca's streaming documentation and alpaca-py's models.
enum Fixtures {
    static var folder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONValue(parsing: bytes(name))
    }
}

/// Compares the shape of an answer with a contract sample: the same keys, and at each key the same JSON
/// type (strings stay strings, numbers stay numbers). A `null` in the sample is a nullable field: it must
/// be present, as `null` or a string. Arrays are compared element by element against the sample's first.
enum Shape {
    /// Fields Alpaca sends that the contract samples leave out (account `options_buying_power`,
    /// `crypto_status`, `pending_transfer_in/out`; order `expires_at`; position `usd`): allowed beside a
    /// sample's keys. Their own shapes are checked by `AlpacaRouteTests`.
    static let alpacaOptionalFields: Set<String> = [
        "options_buying_power", "crypto_status", "pending_transfer_in", "pending_transfer_out", "expires_at", "usd",
    ]

    /// `nullable`: keys whose sample holds a value but which may be `null` in another variant (a market
    /// order's `limit_price`, a notional order's `qty`).
    static func differences(
        expected: JSONValue, actual: JSONValue, at path: String = "$", nullable: Set<String> = []
    ) -> [String] {
        switch (expected, actual) {
        case (.object(let sample), .object(let answer)):
            var problems: [String] = []
            let missing = sample.keys.filter { answer[$0] == nil }
            let extra = answer.keys.filter { sample[$0] == nil && !alpacaOptionalFields.contains($0) }
            if !missing.isEmpty { problems.append("\(path): missing \(missing)") }
            if !extra.isEmpty { problems.append("\(path): unexpected \(extra)") }
            for member in sample {
                if let value = answer[member.key], !(value == .null && nullable.contains(member.key)) {
                    problems += differences(expected: member.value, actual: value, at: "\(path).\(member.key)", nullable: nullable)
                }
            }
            return problems
        case (.array(let sample), .array(let answer)):
            guard let first = sample.first else { return [] }
            if answer.isEmpty { return ["\(path): empty array, the sample has elements"] }
            return answer.enumerated().flatMap {
                differences(expected: first, actual: $0.element, at: "\(path)[\($0.offset)]", nullable: nullable)
            }
        case (.null, .null), (.null, .string):
            return []
        default:
            return expected.typeName == actual.typeName ? [] : ["\(path): \(actual.typeName) where the sample has \(expected.typeName)"]
        }
    }

    /// Expects `actual` to have the shape of fixture `name`.
    static func expect(
        _ actual: JSONValue, matches name: String, nullable: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let problems = differences(expected: try Fixtures.json(name), actual: actual, nullable: nullable)
        #expect(problems.isEmpty, "shape differs from \(name): \(problems)", sourceLocation: sourceLocation)
    }
}
