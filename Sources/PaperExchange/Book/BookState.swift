import Foundation
import Primitives

/// Everything the exchange must remember across restarts, as written to `state/paper_exchange.json`:
/// the account, positions, orders, every `client_order_id` ever used, the market's checkpoint and the
/// alert cursor.
public struct BookState: Sendable, Equatable, Codable {
    /// The file format version this build writes. A newer file is refused, never rewritten.
    public static let currentSchemaVersion = 1

    public struct PositionRecord: Sendable, Hashable, Codable {
        public var symbol: Symbol
        /// Signed: positive long, negative short.
        public var quantity: Decimal
        /// Average entry price, unrounded.
        public var averageEntryPrice: Decimal

        enum CodingKeys: String, CodingKey {
            case symbol
            case quantity
            case averageEntryPrice = "average_entry_price"
        }
    }

    public struct MarketRecord: Sendable, Equatable, Codable {
        public struct SymbolRecord: Sendable, Equatable, Codable {
            public var symbol: Symbol
            public var cents: Int64
            public var lastdayCents: Int64

            enum CodingKeys: String, CodingKey {
                case symbol
                case cents
                case lastdayCents = "lastday_cents"
            }
        }

        public var anchorMilliseconds: Int64
        public var intervalMilliseconds: Int64
        public var volatilityBasisPoints: Int64
        public var spreadBasisPoints: Int64
        public var steps: UInt64
        public var symbols: [SymbolRecord]

        enum CodingKeys: String, CodingKey {
            case anchorMilliseconds = "anchor_ms"
            case intervalMilliseconds = "interval_ms"
            case volatilityBasisPoints = "volatility_bp"
            case spreadBasisPoints = "spread_bp"
            case steps
            case symbols
        }
    }

    public var schemaVersion: Int
    public var seed: UInt64
    public var accountID: String
    public var accountNumber: String
    public var createdAt: Timestamp
    public var cash: Decimal
    /// Equity and maintenance margin when the previous session ended.
    public var lastEquity: Decimal
    public var lastMaintenanceMargin: Decimal
    public var positions: [PositionRecord]
    /// Open orders, and the newest closed ones (see `ExchangeBook.closedOrdersKept`).
    public var orders: [PaperOrder]
    /// Every `client_order_id` ever accepted, sorted: reusing one is refused forever.
    public var usedClientOrderIDs: [String]
    /// Orders ever submitted; the next order is number `orderCount + 1`.
    public var orderCount: Int
    public var market: MarketRecord
    /// The trading session (UTC day number) in force; day orders of earlier sessions have expired.
    public var sessionDay: Int64
    /// Alerts ever issued (the alert cursor); the newest are kept in `alerts`.
    public var alertCount: Int
    public var alerts: [FlowAlert]
    /// `PATCH /v2/account/configurations`; absent in files written before it existed (the defaults).
    public var accountConfiguration: AccountConfiguration? = nil

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case seed
        case accountID = "account_id"
        case accountNumber = "account_number"
        case createdAt = "created_at"
        case cash
        case lastEquity = "last_equity"
        case lastMaintenanceMargin = "last_maintenance_margin"
        case positions
        case orders
        case usedClientOrderIDs = "used_client_order_ids"
        case orderCount = "order_count"
        case market
        case sessionDay = "session_day"
        case alertCount = "alert_count"
        case alerts
        case accountConfiguration = "account_configuration"
    }
}
