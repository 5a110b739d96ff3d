import Primitives

/// What one market-data connection is subscribed to, channel by channel; `*` is every symbol.
public struct MarketSubscription: Sendable, Hashable {
    public static let channels = ["trades", "quotes", "bars", "updatedBars", "dailyBars", "statuses", "lulds"]
    /// Channels Alpaca has on other feeds (crypto order books, news), not on the stock feeds.
    static let otherFeedChannels: Set<String> = ["orderbooks", "news"]
    /// Channels that follow `trades` (Alpaca lists them, clients do not subscribe to them).
    static let followingChannels: Set<String> = ["corrections", "cancelErrors"]

    public private(set) var symbols: [String: [String]] = [:]

    public init() {}

    public var trades: [String] { symbols["trades"] ?? [] }
    public var quotes: [String] { symbols["quotes"] ?? [] }
    public var bars: [String] { symbols["bars"] ?? [] }
    public var updatedBars: [String] { symbols["updatedBars"] ?? [] }
    public var dailyBars: [String] { symbols["dailyBars"] ?? [] }
    public var statuses: [String] { symbols["statuses"] ?? [] }
    public var lulds: [String] { symbols["lulds"] ?? [] }

    public var isEmpty: Bool { symbols.values.allSatisfy(\.isEmpty) }

    /// Distinct symbols over every channel (`*` not counted).
    public var symbolCount: Int { Set(symbols.values.joined()).subtracting(["*"]).count }

    /// Whether `channel` carries `symbol`.
    public func includes(_ channel: String, _ symbol: Symbol) -> Bool {
        guard let list = symbols[channel] else { return false }
        return list.contains("*") || list.contains(symbol.rawValue)
    }

    /// The subscription after a `subscribe` (`adding`) or `unsubscribe` message; throws the error to send
    /// when the message is not one.
    public func applying(_ message: JSONValue, adding: Bool, maxSymbols: Int) throws(StreamError) -> MarketSubscription {
        guard let object = message.objectValue else { throw .invalidSyntax }
        var next = self
        for member in object where member.key != "action" {
            if Self.followingChannels.contains(member.key) { continue }
            if Self.otherFeedChannels.contains(member.key) { throw .invalidSubscribeAction }
            guard Self.channels.contains(member.key), let list = member.value.arrayValue else { throw .invalidSyntax }
            var names: [String] = []
            for element in list {
                guard let text = element.stringValue, text == "*" || Symbol.isValid(text.uppercased()) else { throw .invalidSyntax }
                names.append(text.uppercased())
            }
            var current = next.symbols[member.key] ?? []
            if adding {
                for name in names where !current.contains(name) { current.append(name) }
            } else {
                current.removeAll { names.contains($0) }
            }
            next.symbols[member.key] = current
        }
        guard next.symbolCount <= maxSymbols else { throw .symbolLimitExceeded }
        return next
    }
}

/// The market-data stream's protocol for one connection, without I/O: `auth`, then `subscribe` and
/// `unsubscribe`. A frame that is not a message, an unknown action, subscribing before authenticating,
/// wrong keys or too many symbols are answered with Alpaca's error and the connection closed.
struct MarketDataSession {
    struct Outcome {
        var replies: [JSONValue] = []
        var close = false

        static func refuse(_ error: StreamError) -> Outcome { Outcome(replies: [AlpacaStreamJSON.error(error)], close: true) }
    }

    private(set) var authenticated = false
    private(set) var subscription = MarketSubscription()
    let maxSymbols: Int
    let credentialsAreValid: @Sendable (_ keyID: String, _ secretKey: String) -> Bool

    /// `message` is nil when the frame could not be read (not JSON, or not MessagePack).
    mutating func receive(_ message: JSONValue?) -> Outcome {
        guard let message, let action = message["action"]?.stringValue else { return .refuse(.invalidSyntax) }
        switch action {
        case "auth":
            guard !authenticated else { return .refuse(.alreadyAuthenticated) }
            guard let key = message["key"]?.stringValue, let secret = message["secret"]?.stringValue else { return .refuse(.invalidSyntax) }
            guard credentialsAreValid(key, secret) else { return .refuse(.authFailed) }
            authenticated = true
            return Outcome(replies: [AlpacaStreamJSON.success("authenticated")])
        case "subscribe", "unsubscribe":
            guard authenticated else { return .refuse(.notAuthenticated) }
            do throws(StreamError) {
                subscription = try subscription.applying(message, adding: action == "subscribe", maxSymbols: maxSymbols)
            } catch {
                return .refuse(error)
            }
            return Outcome(replies: [AlpacaStreamJSON.subscription(subscription)])
        default:
            return .refuse(.invalidSyntax)
        }
    }
}
