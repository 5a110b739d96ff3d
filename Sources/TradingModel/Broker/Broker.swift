import Foundation
import Primitives

/// What Bulwark needs from a broker to know where it stands. The HTTP client (Alpaca, or the paper
/// exchange) and the in-memory test broker implement it. Every call may throw when the broker cannot be
/// reached or answers out of contract.
public protocol Broker: Sendable {
    func account() async throws -> AccountSnapshot
    func positions() async throws -> [BrokerPosition]
    func openOrders() async throws -> [BrokerOrder]
    /// The order with this client order id, or `nil` when the broker never received one.
    func order(clientOrderID: String) async throws -> BrokerOrder?
    /// The orders that have ended (filled, canceled, expired, rejected) among those submitted after
    /// `after`, newest first, as many as the broker gives in one answer: the order history a state that
    /// lost its own record rebuilds its cooldowns from.
    func closedOrders(after: Timestamp) async throws -> [BrokerOrder]
}

/// A position as the broker reports it. `quantity` is signed: positive long, negative short.
public struct BrokerPosition: Hashable, Sendable, Codable {
    public var symbol: Symbol
    public var quantity: Decimal
    public var averageEntryPrice: Decimal

    public init(symbol: Symbol, quantity: Decimal, averageEntryPrice: Decimal) {
        self.symbol = symbol
        self.quantity = quantity
        self.averageEntryPrice = averageEntryPrice
    }
}

/// An order as the broker reports it.
public struct BrokerOrder: Hashable, Sendable, Codable {
    /// Where an order is in its life. Brokers add statuses; an unknown one is kept, not refused.
    public enum Status: Hashable, Sendable, Codable {
        case open
        case partiallyFilled
        case filled
        case canceled
        case expired
        case rejected
        /// Replaced by another order (Alpaca's `PATCH /v2/orders/{id}`): this one can no longer fill; the
        /// order that replaced it carries on under its own id.
        case replaced
        case unknown(String)

        /// Whether the order can still fill.
        public var isOpen: Bool {
            switch self {
            case .open, .partiallyFilled: true
            case .filled, .canceled, .expired, .rejected, .replaced: false
            // Unknown statuses count as open: safer to track an order than to forget it.
            case .unknown: true
            }
        }

        public init(rawValue: String) {
            switch rawValue {
            case "new", "accepted", "pending_new", "accepted_for_bidding", "open": self = .open
            case "partially_filled": self = .partiallyFilled
            case "filled": self = .filled
            case "canceled", "cancelled": self = .canceled
            case "expired": self = .expired
            case "rejected": self = .rejected
            case "replaced": self = .replaced
            default: self = .unknown(rawValue)
            }
        }

        public var rawValue: String {
            switch self {
            case .open: "open"
            case .partiallyFilled: "partially_filled"
            case .filled: "filled"
            case .canceled: "canceled"
            case .expired: "expired"
            case .rejected: "rejected"
            case .replaced: "replaced"
            case .unknown(let raw): raw
            }
        }

        public init(from decoder: any Decoder) throws {
            self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    public var clientOrderID: String
    public var brokerOrderID: String
    public var symbol: Symbol
    public var side: OrderSide
    public var quantity: Decimal
    public var filledQuantity: Decimal
    /// The average price of what has filled; nil until something has.
    public var filledAveragePrice: Decimal?
    public var limitPrice: Decimal?
    public var status: Status
    /// When it (last) filled, when the broker says.
    public var filledAt: Timestamp?

    public init(
        clientOrderID: String, brokerOrderID: String, symbol: Symbol, side: OrderSide, quantity: Decimal,
        filledQuantity: Decimal = 0, filledAveragePrice: Decimal? = nil, limitPrice: Decimal? = nil, status: Status = .open,
        filledAt: Timestamp? = nil
    ) {
        self.filledAt = filledAt
        self.clientOrderID = clientOrderID
        self.brokerOrderID = brokerOrderID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.filledQuantity = filledQuantity
        self.filledAveragePrice = filledAveragePrice
        self.limitPrice = limitPrice
        self.status = status
    }
}

/// Sends orders and follows them. The HTTP implementation submits idempotently (a retry never becomes a
/// second order); the engine depends only on this.
public protocol OrderRouter: Sendable {
    /// Sends an intent that is already saved in the state store; returns the broker's order.
    func submit(_ intent: OrderIntent) async throws -> BrokerOrder
    /// The order's current state at the broker.
    func order(brokerOrderID: String) async throws -> BrokerOrder
    func cancel(brokerOrderID: String) async throws
    /// Whether the market is open now.
    func isMarketOpen() async throws -> Bool
}

/// A router's way of saying the broker refused the order for a business reason (not retried).
public struct OrderRefusal: Error, Sendable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}
