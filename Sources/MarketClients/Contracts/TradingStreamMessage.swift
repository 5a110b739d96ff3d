import Foundation
import Primitives
import TradingModel

/// One message of Alpaca's trading stream (`wss://…/stream`), typed: `{"stream": …, "data": …}`. The
/// contract samples are `Tests/PaperExchangeTests/Fixtures/stream_*.json` (the trading stream's ones), the
/// same the paper exchange's encoders are checked against.
public enum TradingStreamMessage: Hashable, Sendable {
    /// The answer to `authenticate`.
    case authorization(authorized: Bool)
    /// The answer to `listen`: the streams now listened to.
    case listening([String])
    case tradeUpdate(AlpacaTradeUpdate)
    /// A refusal, before the connection is closed.
    case error(String)
    /// A stream this build does not know (Alpaca adds some); ignored, never a failure.
    case other(stream: String)

    /// Decodes one frame (JSON text or binary); a frame outside the contract is a schema failure.
    public static func decode(_ bytes: [UInt8]) throws(APIError) -> TradingStreamMessage {
        do {
            let envelope = try JSONDecoder().decode(Envelope.self, from: Data(bytes))
            return envelope.message
        } catch {
            throw APIError(
                kind: .failure(.schema), api: "alpaca-stream", endpoint: "/stream",
                message: "a trading stream message breaks its contract: \(SchemaProblem.describe(error, body: bytes))")
        }
    }

    private struct Envelope: Decodable {
        var message: TradingStreamMessage

        enum CodingKeys: String, CodingKey { case stream, data }
        enum StatusKeys: String, CodingKey {
            case status, streams
            case errorMessage = "error_message"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let stream = try container.decode(String.self, forKey: .stream)
            switch stream {
            case "authorization":
                let data = try container.nestedContainer(keyedBy: StatusKeys.self, forKey: .data)
                message = .authorization(authorized: try data.decode(String.self, forKey: .status) == "authorized")
            case "listening":
                let data = try container.nestedContainer(keyedBy: StatusKeys.self, forKey: .data)
                message = .listening(try data.decode([String].self, forKey: .streams))
            case "trade_updates":
                message = .tradeUpdate(try container.decode(AlpacaTradeUpdate.self, forKey: .data))
            case "error":
                let data = try container.nestedContainer(keyedBy: StatusKeys.self, forKey: .data)
                message = .error(try data.decodeIfPresent(String.self, forKey: .errorMessage) ?? "")
            default:
                message = .other(stream: stream)
            }
        }
    }
}

/// A `trade_updates` event: what happened to an order, the order as the REST routes show it, and on a
/// fill the execution's price and quantity and the position after it.
public struct AlpacaTradeUpdate: Decodable, Hashable, Sendable {
    public enum Event: OpenEnumeration {
        case new, fill, partialFill, canceled, expired, rejected, replaced
        case unknown(String)

        public init?(known raw: String) {
            switch raw {
            case "new": self = .new
            case "fill": self = .fill
            case "partial_fill": self = .partialFill
            case "canceled": self = .canceled
            case "expired": self = .expired
            case "rejected": self = .rejected
            case "replaced": self = .replaced
            default: return nil
            }
        }

        public var rawValue: String {
            switch self {
            case .new: "new"
            case .fill: "fill"
            case .partialFill: "partial_fill"
            case .canceled: "canceled"
            case .expired: "expired"
            case .rejected: "rejected"
            case .replaced: "replaced"
            case .unknown(let raw): raw
            }
        }
    }

    public var event: Event
    public var order: AlpacaOrder
    public var executionID: String?
    public var price: Decimal?
    public var quantity: Decimal?
    public var positionQuantity: Decimal?
    public var timestamp: Timestamp?

    enum CodingKeys: String, CodingKey {
        case event, order, price, timestamp
        case executionID = "execution_id"
        case quantity = "qty"
        case positionQuantity = "position_qty"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        event = try container.decode(Event.self, forKey: .event)
        order = try container.decode(AlpacaOrder.self, forKey: .order)
        executionID = try container.decodeIfPresent(String.self, forKey: .executionID)
        price = try container.decodeFlexibleDecimalIfPresent(.price)
        quantity = try container.decodeFlexibleDecimalIfPresent(.quantity)
        positionQuantity = try container.decodeFlexibleDecimalIfPresent(.positionQuantity)
        timestamp = try container.decodeIfPresent(Timestamp.self, forKey: .timestamp)
    }
}
