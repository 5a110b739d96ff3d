import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Primitives

/// Alpaca's trading stream (or the paper exchange's, which speaks it): one connection at a time,
/// authenticated with the account's keys, listening to `trade_updates`. The keys travel only in the
/// `authenticate` message; nothing here logs them (the websocket library's own logger is kept quiet).
public struct TradingStreamClient: Sendable {
    /// What one connection tells its listener.
    public enum Event: Hashable, Sendable {
        /// Authenticated and listening to `trade_updates`: every order change from now on is pushed.
        case listening
        case update(AlpacaTradeUpdate)
    }

    /// The stream refused the connection or broke its protocol.
    public struct Failure: OperatorError {
        public var message: String
        public var errorCode: String
        public var description: String { message }

        static func refused(_ message: String) -> Failure { Failure(message: message, errorCode: "stream.refused") }
        static func protocolBroken(_ message: String) -> Failure { Failure(message: message, errorCode: "stream.protocol") }
        static func silent(_ message: String) -> Failure { Failure(message: message, errorCode: "stream.silent") }
    }

    /// `ws://host:port/stream` for an `http` base, `wss://…` for `https`.
    public let url: String
    private let keyID: Secret
    private let secretKey: Secret
    /// A ping is sent this often; a connection whose pong does not come back by the next one is closed
    /// (a silent stream is a dropped one).
    private let pingInterval: Duration
    private let logger: Logger

    public init(tradingBaseURL: URL, keyID: Secret, secretKey: Secret, pingInterval: Duration = .seconds(10), logger: Logger) {
        self.url = Self.streamURL(tradingBaseURL)
        self.keyID = keyID
        self.secretKey = secretKey
        self.pingInterval = pingInterval
        self.logger = logger
    }

    /// The trading stream's address on the trading API's host.
    public static func streamURL(_ base: URL) -> String {
        var components = URLComponents(url: base, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.scheme = base.scheme == "https" ? "wss" : "ws"
        components.path = "/stream"
        components.query = nil
        return components.string ?? "ws://127.0.0.1/stream"
    }

    /// Connects, authenticates and listens; `receive` hears `.listening` once, then every update, until
    /// the stream closes the connection (returns) or fails (throws). Cancelling the task closes it.
    public func run(_ receive: @escaping @Sendable (Event) -> Void) async throws {
        let authenticate = try Self.message(["action": "authenticate", "data": ["key_id": keyID.exposedValue, "secret_key": secretKey.exposedValue]])
        let listen = try Self.message(["action": "listen", "data": ["streams": ["trade_updates"]]])
        var quiet = logger
        quiet.logLevel = .warning
        let client = WebSocketClient(
            url: url, configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 20, autoPing: .enabled(timePeriod: pingInterval)),
            logger: quiet
        ) { inbound, outbound, _ in
            try await outbound.write(.text(authenticate))
            for try await message in inbound.messages(maxSize: 1 << 20) {
                let bytes: [UInt8] =
                    switch message {
                    case .text(let text): Array(text.utf8)
                    case .binary(let buffer): Array(buffer.readableBytesView)
                    }
                switch try TradingStreamMessage.decode(bytes) {
                case .authorization(let authorized):
                    guard authorized else { throw Failure.refused("the trading stream refused the account's keys") }
                    try await outbound.write(.text(listen))
                case .listening(let streams):
                    guard streams.contains("trade_updates") else {
                        throw Failure.protocolBroken("the trading stream did not start listening to trade_updates")
                    }
                    receive(.listening)
                case .tradeUpdate(let update):
                    receive(.update(update))
                case .error(let text):
                    throw Failure.protocolBroken("the trading stream answered with an error: \(text.prefix(200))")
                case .other:
                    continue
                }
            }
        }
        // A connection that ends without a close handshake was dropped, or went silent and was closed for
        // its missed pongs.
        guard try await client.run() != nil else {
            throw Failure.silent("the trading stream went silent (no answer to its pings) or the connection dropped")
        }
    }

    private static func message(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
