import Foundation
import Primitives
import TradingModel

/// `GET /v2/account`: the figures Bulwark uses. Other fields are ignored.
public struct AlpacaAccount: Decodable, Hashable, Sendable {
    public var id: String
    public var status: String
    public var currency: String
    public var cash: Decimal
    public var equity: Decimal
    public var buyingPower: Decimal
    public var tradingBlocked: Bool
    public var accountBlocked: Bool

    enum CodingKeys: String, CodingKey {
        case id, status, currency, cash, equity
        case buyingPower = "buying_power"
        case tradingBlocked = "trading_blocked"
        case accountBlocked = "account_blocked"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        status = try container.decode(String.self, forKey: .status)
        currency = try container.decode(String.self, forKey: .currency)
        cash = try container.decodeMoney(.cash)
        equity = try container.decodeMoney(.equity)
        buyingPower = try container.decodeMoney(.buyingPower)
        tradingBlocked = try container.decodeIfPresent(Bool.self, forKey: .tradingBlocked) ?? false
        accountBlocked = try container.decodeIfPresent(Bool.self, forKey: .accountBlocked) ?? false
    }

    public var snapshot: AccountSnapshot {
        AccountSnapshot(equity: equity, cash: cash, buyingPower: buyingPower)
    }
}

/// `GET /v2/positions` (each element) and `GET /v2/positions/{symbol}`.
public struct AlpacaPosition: Decodable, Hashable, Sendable {
    public enum Side: OpenEnumeration {
        case long, short
        case unknown(String)

        public init?(known raw: String) {
            switch raw {
            case "long": self = .long
            case "short": self = .short
            default: return nil
            }
        }

        public var rawValue: String {
            switch self {
            case .long: "long"
            case .short: "short"
            case .unknown(let raw): raw
            }
        }
    }

    public var symbol: Symbol
    /// Alpaca sends the quantity signed (negative for shorts) together with `side`.
    public var quantity: Decimal
    public var side: Side
    public var averageEntryPrice: Decimal
    public var marketValue: Decimal?
    public var currentPrice: Decimal?
    public var unrealizedPnL: Decimal?

    enum CodingKeys: String, CodingKey {
        case symbol, side
        case quantity = "qty"
        case averageEntryPrice = "avg_entry_price"
        case marketValue = "market_value"
        case currentPrice = "current_price"
        case unrealizedPnL = "unrealized_pl"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        symbol = try container.decodeSymbol(.symbol)
        quantity = try container.decodeMoney(.quantity)
        side = try container.decode(Side.self, forKey: .side)
        averageEntryPrice = try container.decodeMoney(.averageEntryPrice)
        marketValue = try container.decodeMoneyIfPresent(.marketValue)
        currentPrice = try container.decodeMoneyIfPresent(.currentPrice)
        unrealizedPnL = try container.decodeMoneyIfPresent(.unrealizedPnL)
    }

    /// Signed by `side` whatever sign the quantity arrived with; nil when the side is unknown.
    public var brokerPosition: BrokerPosition? {
        let magnitude = quantity.magnitude
        switch side {
        case .long: return BrokerPosition(symbol: symbol, quantity: magnitude, averageEntryPrice: averageEntryPrice)
        case .short: return BrokerPosition(symbol: symbol, quantity: -magnitude, averageEntryPrice: averageEntryPrice)
        case .unknown: return nil
        }
    }
}

/// `GET /v2/clock`.
public struct AlpacaClock: Decodable, Hashable, Sendable {
    public var timestamp: Timestamp
    public var isOpen: Bool
    public var nextOpen: Timestamp
    public var nextClose: Timestamp

    enum CodingKeys: String, CodingKey {
        case timestamp
        case isOpen = "is_open"
        case nextOpen = "next_open"
        case nextClose = "next_close"
    }
}
