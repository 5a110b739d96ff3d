import Foundation
import Primitives
import TradingModel

/// An order as Alpaca returns it (`POST /v2/orders`, `GET /v2/orders…`). Enumerations that Alpaca may
/// extend decode unknown values as `.unknown`, never as a failure; nullable fields are optional.
public struct AlpacaOrder: Decodable, Hashable, Sendable {
    public enum Side: OpenEnumeration {
        case buy, sell
        case unknown(String)

        public init?(known raw: String) {
            switch raw {
            case "buy": self = .buy
            case "sell": self = .sell
            default: return nil
            }
        }

        public var rawValue: String {
            switch self {
            case .buy: "buy"
            case .sell: "sell"
            case .unknown(let raw): raw
            }
        }

        public var orderSide: OrderSide? {
            switch self {
            case .buy: .buy
            case .sell: .sell
            case .unknown: nil
            }
        }
    }

    public enum OrderType: OpenEnumeration {
        case market, limit, stop, stopLimit, trailingStop
        case unknown(String)

        public init?(known raw: String) {
            switch raw {
            case "market": self = .market
            case "limit": self = .limit
            case "stop": self = .stop
            case "stop_limit": self = .stopLimit
            case "trailing_stop": self = .trailingStop
            default: return nil
            }
        }

        public var rawValue: String {
            switch self {
            case .market: "market"
            case .limit: "limit"
            case .stop: "stop"
            case .stopLimit: "stop_limit"
            case .trailingStop: "trailing_stop"
            case .unknown(let raw): raw
            }
        }
    }

    public enum OrderClass: OpenEnumeration {
        case simple, bracket, oco, oto
        case unknown(String)

        public init?(known raw: String) {
            switch raw {
            case "simple", "": self = .simple
            case "bracket": self = .bracket
            case "oco": self = .oco
            case "oto": self = .oto
            default: return nil
            }
        }

        public var rawValue: String {
            switch self {
            case .simple: "simple"
            case .bracket: "bracket"
            case .oco: "oco"
            case .oto: "oto"
            case .unknown(let raw): raw
            }
        }
    }

    public var id: String
    public var clientOrderID: String
    public var symbol: Symbol
    public var side: Side
    public var type: OrderType
    public var orderClass: OrderClass?
    public var status: BrokerOrder.Status
    /// `nil` for notional orders.
    public var quantity: Decimal?
    public var notional: Decimal?
    public var filledQuantity: Decimal
    public var filledAveragePrice: Decimal?
    public var limitPrice: Decimal?
    public var timeInForce: String
    public var createdAt: Timestamp
    public var filledAt: Timestamp?
    public var canceledAt: Timestamp?
    /// Some API versions send the commission as a string, others as a number; absent on most.
    public var commission: Decimal?

    enum CodingKeys: String, CodingKey {
        case id, symbol, side, type, status, notional, commission
        case clientOrderID = "client_order_id"
        case orderClass = "order_class"
        case quantity = "qty"
        case filledQuantity = "filled_qty"
        case filledAveragePrice = "filled_avg_price"
        case limitPrice = "limit_price"
        case timeInForce = "time_in_force"
        case createdAt = "created_at"
        case filledAt = "filled_at"
        case canceledAt = "canceled_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        clientOrderID = try container.decode(String.self, forKey: .clientOrderID)
        symbol = try container.decodeSymbol(.symbol)
        side = try container.decode(Side.self, forKey: .side)
        type = try container.decode(OrderType.self, forKey: .type)
        orderClass = try container.decodeIfPresent(OrderClass.self, forKey: .orderClass)
        status = try container.decode(BrokerOrder.Status.self, forKey: .status)
        quantity = try container.decodeMoneyIfPresent(.quantity)
        notional = try container.decodeMoneyIfPresent(.notional)
        filledQuantity = try container.decodeMoney(.filledQuantity)
        filledAveragePrice = try container.decodeMoneyIfPresent(.filledAveragePrice)
        limitPrice = try container.decodeMoneyIfPresent(.limitPrice)
        timeInForce = try container.decode(String.self, forKey: .timeInForce)
        createdAt = try container.decode(Timestamp.self, forKey: .createdAt)
        filledAt = try container.decodeIfPresent(Timestamp.self, forKey: .filledAt)
        canceledAt = try container.decodeIfPresent(Timestamp.self, forKey: .canceledAt)
        commission = try container.decodeFlexibleDecimalIfPresent(.commission)
        guard quantity != nil || notional != nil else {
            throw DecodingError.keyNotFound(CodingKeys.quantity, .init(codingPath: decoder.codingPath, debugDescription: "an order has qty or notional"))
        }
    }

    /// The order as the engine sees it (`BrokerOrder`); nil when its side is one this build does not know.
    public var brokerOrder: BrokerOrder? {
        guard let side = side.orderSide else { return nil }
        return BrokerOrder(
            clientOrderID: clientOrderID, brokerOrderID: id, symbol: symbol, side: side,
            quantity: quantity ?? filledQuantity, filledQuantity: filledQuantity, filledAveragePrice: filledAveragePrice,
            limitPrice: limitPrice, status: status, filledAt: filledAt)
    }
}

/// The body of `POST /v2/orders`: money as strings, as Alpaca wants them.
public struct AlpacaOrderRequest: Encodable, Hashable, Sendable {
    public var symbol: String
    public var qty: String
    public var side: String
    public var type: String
    public var timeInForce: String
    public var limitPrice: String?
    public var clientOrderID: String

    enum CodingKeys: String, CodingKey {
        case symbol, qty, side, type
        case timeInForce = "time_in_force"
        case limitPrice = "limit_price"
        case clientOrderID = "client_order_id"
    }

    public init(intent: OrderIntent, timeInForce: String = "day") {
        symbol = intent.symbol.rawValue
        qty = "\(intent.quantity)"
        side = intent.side.rawValue
        type = intent.limitPrice == nil ? "market" : "limit"
        self.timeInForce = timeInForce
        limitPrice = intent.limitPrice.map { "\($0)" }
        clientOrderID = intent.clientOrderID
    }
}
