import Foundation
import Primitives

/// An order as the exchange keeps it: the fields of Alpaca's order object that change over its life.
public struct PaperOrder: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case market
        case limit
    }

    public enum TimeInForce: String, Sendable, Hashable, Codable {
        case day
        case gtc
        case ioc
    }

    /// The statuses this exchange uses, a subset of Alpaca's (orders fill whole: no `partially_filled`).
    public enum Status: String, Sendable, Hashable, Codable {
        /// Received, not yet looked at by the matcher (what `POST /v2/orders` answers).
        case accepted
        /// Resting on the book: a limit order that was not marketable.
        case new
        case filled
        case canceled
        case expired
        /// Replaced by a new order (`PATCH /v2/orders/{id}`); `replacedBy` names it.
        case replaced

        public var isOpen: Bool { self == .accepted || self == .new }
    }

    public var id: String
    public var clientOrderID: String
    /// Submission order, for sorting orders with the same timestamp.
    public var sequence: Int
    public var symbol: Symbol
    public var side: OrderSide
    public var kind: Kind
    public var timeInForce: TimeInForce
    /// Shares ordered; `nil` for a notional order.
    public var quantity: Decimal?
    /// Dollars ordered; `nil` for a quantity order.
    public var notional: Decimal?
    public var limitPrice: Decimal?
    public var status: Status
    public var filledQuantity: Decimal
    public var filledAveragePrice: Decimal?
    public var positionIntent: String
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var submittedAt: Timestamp
    public var filledAt: Timestamp?
    public var canceledAt: Timestamp?
    public var expiredAt: Timestamp?
    /// The order that replaced this one, and when.
    public var replacedBy: String? = nil
    public var replacedAt: Timestamp? = nil
    /// The order this one replaced.
    public var replaces: String? = nil
    /// The close of the NYSE session a day order belongs to (its expiry); `nil` around the clock, where a
    /// day order expires at the end of its UTC day.
    public var sessionClose: Timestamp? = nil

    enum CodingKeys: String, CodingKey {
        case id
        case clientOrderID = "client_order_id"
        case sequence
        case symbol
        case side
        case kind
        case timeInForce = "time_in_force"
        case quantity
        case notional
        case limitPrice = "limit_price"
        case status
        case filledQuantity = "filled_quantity"
        case filledAveragePrice = "filled_average_price"
        case positionIntent = "position_intent"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case submittedAt = "submitted_at"
        case filledAt = "filled_at"
        case canceledAt = "canceled_at"
        case expiredAt = "expired_at"
        case replacedBy = "replaced_by"
        case replacedAt = "replaced_at"
        case replaces
        case sessionClose = "session_close"
    }

    public var isOpen: Bool { status.isOpen }

    /// Shares still to fill, when known (a notional order's are known only when it fills).
    public var remainingQuantity: Decimal? {
        quantity.map { $0 - filledQuantity }
    }
}
