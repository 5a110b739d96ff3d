import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Primitives

/// Alpaca's market-data stream (or the paper exchange's, which speaks it), for quotes: one connection at
/// a time, authenticated with the account's keys, subscribed to the quotes of the symbols asked for,
/// following that set as it changes. JSON frames (Alpaca's MessagePack is for clients that ask for it).
/// The keys travel only in the `auth` message; nothing here logs them.
public struct MarketDataStreamClient: Sendable {
    /// What one connection tells its listener.
    public enum Event: Hashable, Sendable {
        /// Authenticated: quotes of the subscribed symbols are pushed from now on.
        case authenticated
        /// The stream confirmed a subscription: the symbols whose quotes it pushes now.
        case subscribed(Set<Symbol>)
        case quote(Quote)
    }

    /// `ws://host:port/v2/iex` for an `http` base; Alpaca's own data host (`data.…`) streams from `stream.data.…`.
    public let url: String
    private let keyID: Secret
    private let secretKey: Secret
    /// A ping is sent this often; a connection whose pong does not come back by the next one is closed.
    private let pingInterval: Duration
    private let logger: Logger

    public init(dataBaseURL: URL, feed: String = "iex", keyID: Secret, secretKey: Secret, pingInterval: Duration = .seconds(10), logger: Logger) {
        self.url = Self.streamURL(dataBaseURL, feed: feed)
        self.keyID = keyID
        self.secretKey = secretKey
        self.pingInterval = pingInterval
        self.logger = logger
    }

    /// The market-data stream's address for the data API's base.
    public static func streamURL(_ base: URL, feed: String = "iex") -> String {
        var components = URLComponents(url: base, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.scheme = base.scheme == "https" ? "wss" : "ws"
        if let host = components.host, host.hasPrefix("data."), host.hasSuffix("alpaca.markets") { components.host = "stream." + host }
        components.path = "/v2/\(feed)"
        components.query = nil
        return components.string ?? "ws://127.0.0.1/v2/\(feed)"
    }

    /// Connects, authenticates and subscribes to the quotes of `wanted()` (looked at every `checkEvery`
    /// on `clock`, a change sent as `subscribe`/`unsubscribe`); `receive` hears `.authenticated` once,
    /// then subscriptions and quotes, until the stream closes the connection (returns) or fails (throws).
    /// Cancelling the task closes it.
    public func run(
        wanted: @escaping @Sendable () -> Set<Symbol>, checkEvery: Duration, clock: any WallClock,
        _ receive: @escaping @Sendable (Event) -> Void
    ) async throws {
        let auth = try Self.message(["action": "auth", "key": keyID.exposedValue, "secret": secretKey.exposedValue])
        var quiet = logger
        quiet.logLevel = .warning
        let client = WebSocketClient(
            url: url, configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 22, autoPing: .enabled(timePeriod: pingInterval)),
            logger: quiet
        ) { inbound, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                defer { group.cancelAll() }
                var syncing = false
                for try await message in inbound.messages(maxSize: 1 << 22) {
                    let bytes: [UInt8] =
                        switch message {
                        case .text(let text): Array(text.utf8)
                        case .binary(let buffer): Array(buffer.readableBytesView)
                        }
                    for item in try MarketDataStreamMessage.decode(bytes) {
                        switch item {
                        case .success("connected"):
                            try await outbound.write(.text(auth))
                        case .success("authenticated"):
                            receive(.authenticated)
                            guard !syncing else { continue }
                            syncing = true
                            group.addTask { try await Self.followSubscription(wanted: wanted, every: checkEvery, clock: clock, outbound: outbound) }
                        case .success:
                            continue
                        case .subscription(let quotes):
                            receive(.subscribed(Set(quotes.compactMap(Symbol.init))))
                        case .quote(let quote):
                            receive(.quote(quote))
                        case .error(402, _):
                            throw TradingStreamClient.Failure.refused("the market-data stream refused the account's keys")
                        case .error(let code, let text):
                            throw TradingStreamClient.Failure.protocolBroken("the market-data stream answered with error \(code): \(text.prefix(200))")
                        case .other:
                            continue
                        }
                    }
                }
            }
        }
        // A connection that ends without a close handshake was dropped, or went silent and was closed for
        // its missed pongs.
        guard try await client.run() != nil else {
            throw TradingStreamClient.Failure.silent("the market-data stream went silent (no answer to its pings) or the connection dropped")
        }
    }

    /// Sends `subscribe`/`unsubscribe` whenever `wanted()` differs from what was last asked for.
    private static func followSubscription(
        wanted: @Sendable () -> Set<Symbol>, every interval: Duration, clock: any WallClock, outbound: WebSocketOutboundWriter
    ) async throws {
        var asked: Set<Symbol> = []
        while !Task.isCancelled {
            let now = wanted()
            let added = now.subtracting(asked).map(\.rawValue).sorted()
            let removed = asked.subtracting(now).map(\.rawValue).sorted()
            if !removed.isEmpty { try await outbound.write(.text(try message(["action": "unsubscribe", "quotes": removed]))) }
            if !added.isEmpty { try await outbound.write(.text(try message(["action": "subscribe", "quotes": added]))) }
            asked = now
            try await clock.sleep(for: interval)
        }
    }

    private static func message(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
