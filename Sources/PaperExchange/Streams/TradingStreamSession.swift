/// The trading stream's protocol for one connection, without I/O: `authenticate` with the account's keys,
/// then `listen` to `trade_updates`. Anything else — a frame that is not a JSON object, an unknown action,
/// listening before authenticating, wrong keys — is answered and the connection closed.
struct TradingStreamSession {
    struct Outcome {
        var replies: [JSONValue] = []
        var close = false
    }

    static let knownStreams = ["trade_updates"]

    private(set) var authorized = false
    private(set) var listening: [String] = []
    let credentialsAreValid: @Sendable (_ keyID: String, _ secretKey: String) -> Bool

    var wantsTradeUpdates: Bool { authorized && listening.contains("trade_updates") }

    mutating func receive(_ bytes: [UInt8]) -> Outcome {
        guard let message = try? JSONValue(parsing: bytes, maximumDepth: 8), let action = message["action"]?.stringValue else {
            return Outcome(replies: [AlpacaStreamJSON.tradingError("invalid syntax: expected {\"action\": …, \"data\": …}")], close: true)
        }
        let data = message["data"]
        switch action {
        case "authenticate", "auth":
            let keyID = data?["key_id"]?.stringValue ?? message["key"]?.stringValue ?? ""
            let secret = data?["secret_key"]?.stringValue ?? message["secret"]?.stringValue ?? ""
            authorized = credentialsAreValid(keyID, secret)
            return Outcome(replies: [AlpacaStreamJSON.authorization(authorized: authorized)], close: !authorized)
        case "listen":
            guard authorized else {
                return Outcome(replies: [AlpacaStreamJSON.tradingError("not authenticated")], close: true)
            }
            guard let streams = data?["streams"]?.arrayValue else {
                return Outcome(replies: [AlpacaStreamJSON.tradingError("invalid syntax: listen needs data.streams")], close: true)
            }
            listening = Self.knownStreams.filter { name in streams.contains { $0.stringValue == name } }
            return Outcome(replies: [AlpacaStreamJSON.listening(listening)])
        default:
            return Outcome(replies: [AlpacaStreamJSON.tradingError("unknown action: \(displayExcerpt(action))")], close: true)
        }
    }
}
