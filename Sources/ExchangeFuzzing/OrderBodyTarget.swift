import Foundation
import PaperExchange
import TestSupport

/// The order-body target: bytes a client could send as a `POST /v2/orders` body, through the paper
/// exchange's strict JSON reader and the order request's validation (`ExchangeServer.orderRequest(body:)`,
/// what the route does after the Content-Type and size checks).
///
/// Besides "no crash, no hang", each input is held to what the reader promises:
/// - a document it accepts is nested no deeper than the limit, and the writer's text of it reads back as
///   the same value;
/// - a refusal is a `400` or a `422` (Alpaca's shapes) whose message is short (an echoed value is cut) and
///   free of control characters, and a body that is not JSON is a `400`.
public enum OrderBodyTarget {
    public static let name = "order body"
    /// The stages an input can pass: read as JSON, then accepted as an order.
    public static let json = "read as JSON"
    public static let order = "accepted as orders"

    /// The target, starting from the built-in samples and `seeds` (the contract samples).
    public static func target(seeds: [[UInt8]] = []) -> FuzzTarget {
        FuzzTarget(name: name, stages: [json, order], samples: samples + seeds, hostile: hostile, dictionary: tokens, check: check)
    }

    /// The longest refusal message an input may produce, whatever its size.
    static let longestMessage = 256

    /// Valid order bodies of every shape the exchange takes: market by quantity, notional, limit with
    /// numbers instead of strings.
    static let samples: [[UInt8]] = [
        #"{"symbol":"AAPL","qty":"3","side":"buy","type":"market","time_in_force":"day","client_order_id":"bw-0001"}"#,
        #"{"symbol":"MSFT","notional":"250.50","side":"sell","type":"market","time_in_force":"day"}"#,
        #"{"symbol":"spy","qty":0.5,"side":"buy","order_type":"limit","time_in_force":"day","limit_price":0.1234,"order_class":"simple"}"#,
        #"{"symbol":"NVDA","qty":"10","side":"sell","type":"limit","time_in_force":"gtc","limit_price":"131.07","client_order_id":null}"#,
    ].map { Array($0.utf8) }

    /// Hostile bodies, tried as they are and mutated: nesting far past the limit, numbers no decimal
    /// holds, repeated names, control characters raw and escaped, invalid UTF-8, cuts, oversized echoes.
    static let hostile: [[UInt8]] = {
        let valid = #"{"symbol":"AAPL","qty":"1","side":"buy","type":"market","time_in_force":"day","client_order_id":"bw-x"}"#
        func order(_ fields: String) -> [UInt8] {
            Array(#"{"symbol":"AAPL","side":"buy","type":"market","time_in_force":"day","#.utf8) + Array(fields.utf8) + [UInt8(ascii: "}")]
        }
        var bodies: [[UInt8]] = [
            Array(String(repeating: "[", count: 100_000).utf8),
            Array(String(repeating: #"{"a":"#, count: 50_000).utf8),
            Array((String(repeating: "[", count: 64) + String(repeating: "]", count: 64)).utf8),
            Array((String(repeating: "[", count: 65) + String(repeating: "]", count: 65)).utf8),
            Array(("[" + String(repeating: "[],", count: 20_000) + "[]]").utf8),
            order(#""qty":"1\#(String(repeating: "9", count: 10_000))""#),
            order(#""qty":1\#(String(repeating: "0", count: 400))"#),
            order(#""qty":1e999999999"#),
            order(#""qty":1e-999999999"#),
            order(#""qty":-0"#),
            order(#""qty":0.0000000001"#),
            order(#""notional":99999999999999999999999999999999999999999999.99"#),
            order(#""qty":"1","limit_price":1E+400"#),
            Array(#"{"symbol":"AAPL","symbol":"MSFT","qty":"1","side":"buy","type":"market","time_in_force":"day"}"#.utf8),
            Array(#"{"a":{"b":1,"b":2}}"#.utf8),
            Array(#"{"symbol":"AAPL","symbo\u006c":"MSFT"}"#.utf8),
            order(#""qty":"1","client_order_id":"bw-\u0000x""#),
            order(#""qty":"1","client_order_id":"bw-\u001f\u007f\u0085x""#),
            order(#""qty":"1","client_order_id":"bw-"#) + [0x00] + Array(#"x""#.utf8),
            order(#""qty":"1","client_order_id":"bw-"#) + [0xC2, 0x85] + Array(#"x""#.utf8),
            order(#""qty":"1","client_order_id":"\ud800""#),
            order(#""qty":"1","client_order_id":"\udc00\ud800""#),
            order(#""qty":"1","client_order_id":"\#(String(repeating: "x", count: 129))""#),
            Array(#"{"symbol":""#.utf8) + [0xFF, 0xFE] + Array(#"","qty":"1"}"#.utf8),
            Array(#"{"symbol":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8),
            Array(#"{"symbol":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8),
            Array(#"{"symbol":""#.utf8) + [0xE2, 0x82],
            [0xEF, 0xBB, 0xBF] + Array(valid.utf8),
            Array(#"{"symbol":"AAPL","qty":"1","side":"\#(String(repeating: "x", count: 60_000))","type":"market","time_in_force":"day"}"#.utf8),
            Array(#"{"symbol":"AAPL","qty":"1","side":"buy","type":"\#(String(repeating: "\\n", count: 300))","time_in_force":"day"}"#.utf8),
            Array(#"{"symbol":"AAPL","qty":"1","side":"buy","type":"market","time_in_force":"\#(String(repeating: "y", count: 300))"}"#.utf8),
            order(#""qty":"1","order_class":"\#(String(repeating: "z", count: 300))""#),
            order(#""qty":{"\#(String(repeating: "k", count: 300))":1}"#),
            [], Array("   ".utf8), Array("null".utf8), Array("[]".utf8), Array("{}".utf8), Array(#""x""#.utf8), Array("nul".utf8),
            Array("tru".utf8), Array("-".utf8), Array("01".utf8), Array("1.".utf8), Array(#"{"a":1,}"#.utf8), Array("[1,]".utf8),
        ]
        for cut in [1, 10, 30, 60, valid.utf8.count - 1] { bodies.append(Array(valid.utf8.prefix(cut))) }
        return bodies + fieldVariants
    }()

    /// Well-formed bodies that reach the order checks: each sample with one member set to an odd value
    /// (wrong type, out of range, too precise, too long, a control character) or left out.
    static let fieldVariants: [[UInt8]] = {
        let values: [JSONValue?] = [
            nil, .null, .bool(true), .number("0"), .number("-1"), .number("1e9"), .number("0.0000000001"), .number("123.456"),
            .string(""), .string("-0"), .string("0.001"), .string("2.5"), .string("1000000000"), .string("sell"), .string("limit"),
            .string("gtc"), .string("ioc"), .string("opg"), .string("bracket"), .string("brk.b"), .string("x\u{0}y"), .string("x\u{85}y"),
            .string(String(repeating: "x", count: 129)), .array([]), .object([:]),
        ]
        let keys = ["symbol", "qty", "notional", "side", "type", "time_in_force", "limit_price", "client_order_id", "order_class"]
        var variants: [[UInt8]] = []
        for sample in samples {
            guard case .object(let object)? = try? JSONValue(parsing: sample) else { continue }
            for key in keys {
                for value in values {
                    var changed = object
                    changed[key] = value
                    variants.append(JSONValue.object(changed).bytes)
                }
            }
        }
        return variants
    }()

    static let tokens: [String] = [
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "1e999", "-0", "0.000000001", "-1", "\"\\u0000\"", "\\u0000",
        "\\u001f", "\\ud800", "\\ud83d\\ude00", "\u{0}", "\u{7F}", "\u{85}", "\t", "\r\n", "é", "\"symbol\":", "\"qty\":", "\"notional\":",
        "\"side\":\"sell\"", "\"type\":\"limit\"", "\"time_in_force\":\"gtc\"", "\"limit_price\":", "\"client_order_id\":",
        "\"order_class\":\"bracket\"", "\"AAPL\"", "\"buy\"", "\"\"", "\"ioc\"", "\"stop\"", String(repeating: "x", count: 300),
        String(repeating: "9", count: 40), String(repeating: "[", count: 80), "\u{FEFF}",
    ]

    /// Tries one body: the stages it passed and the promises it broke.
    @Sendable static func check(_ bytes: [UInt8]) -> FuzzTarget.Verdict {
        var verdict = FuzzTarget.Verdict()
        var isJSON = false
        do {
            let value = try JSONValue(parsing: bytes)
            isJSON = true
            verdict.passed.append(json)
            if let depth = depth(of: value, limit: 64) { verdict.problems.append("accepted a document nested \(depth) deep") }
            if (try? JSONValue(parsing: value.bytes)) != value { verdict.problems.append("its written form does not read back as the same value") }
        } catch {
            if !(0...bytes.count).contains(error.offset) { verdict.problems.append("refused at byte \(error.offset) of \(bytes.count)") }
        }
        do {
            _ = try ExchangeServer.orderRequest(body: bytes)
            verdict.passed.append(order)
            if !isJSON { verdict.problems.append("accepted an order from a body that is not JSON") }
        } catch {
            if ![400, 422].contains(error.status) { verdict.problems.append("answered \(error.status), not 400 or 422") }
            if !isJSON && error.status != 400 { verdict.problems.append("answered \(error.status) to a body that is not JSON") }
            if error.message.count > longestMessage {
                verdict.problems.append("a \(error.message.count)-character message: \(error.message.prefix(80))…")
            }
            if error.message.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                verdict.problems.append("a control character in the message: \(String(reflecting: String(error.message.prefix(120))))")
            }
        }
        return verdict
    }

    /// How deep `value` nests when that is deeper than `limit`; nil otherwise.
    private static func depth(of value: JSONValue, limit: Int) -> Int? {
        func depth(_ value: JSONValue) -> Int {
            switch value {
            case .array(let elements): 1 + (elements.map(depth).max() ?? 0)
            case .object(let object): 1 + (object.members.map { depth($0.value) }.max() ?? 0)
            default: 0
            }
        }
        let found = depth(value)
        return found > limit ? found : nil
    }
}
