import Foundation
import Primitives

/// One item of Alpaca's market-data stream (`wss://…/v2/iex`), typed: every frame is an array of
/// `{"T": …}` objects. The contract samples are `Tests/PaperExchangeTests/Fixtures/stream_md_*.json`, the
/// same the paper exchange's encoders are checked against. Only what Bulwark's quote client uses is
/// typed; trades, bars and types this build does not know are kept as `other`, never a failure.
public enum MarketDataStreamMessage: Hashable, Sendable {
    /// `connected` or `authenticated`.
    case success(String)
    /// The answer to `subscribe`/`unsubscribe`: the symbols now subscribed to quotes.
    case subscription(quotes: [String])
    case quote(Quote)
    /// A refusal (bad keys, too many symbols, …), before the connection is closed.
    case error(code: Int, message: String)
    case other(type: String)

    /// Decodes one frame (JSON text or binary); a frame outside the contract is a schema failure.
    public static func decode(_ bytes: [UInt8]) throws(APIError) -> [MarketDataStreamMessage] {
        do {
            return try JSONDecoder().decode([Item].self, from: Data(bytes)).map(\.message)
        } catch {
            throw APIError(
                kind: .failure(.schema), api: "alpaca-data-stream", endpoint: "/v2/iex",
                message: "a market-data stream message breaks its contract: \(SchemaProblem.describe(error, body: bytes))")
        }
    }

    private struct Item: Decodable {
        var message: MarketDataStreamMessage

        enum CodingKeys: String, CodingKey {
            case type = "T"
            case symbol = "S"
            case message = "msg"
            case code, quotes
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let type = try container.decode(String.self, forKey: .type)
            switch type {
            case "success":
                message = .success(try container.decode(String.self, forKey: .message))
            case "subscription":
                message = .subscription(quotes: try container.decodeIfPresent([String].self, forKey: .quotes) ?? [])
            case "q":
                let symbol = try container.decodeSymbol(.symbol)
                message = .quote(try AlpacaQuote(from: decoder).quote(for: symbol))
            case "error":
                message = .error(code: try container.decodeIfPresent(Int.self, forKey: .code) ?? 0, message: try container.decodeIfPresent(String.self, forKey: .message) ?? "")
            default:
                message = .other(type: type)
            }
        }
    }
}
