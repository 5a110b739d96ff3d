import Foundation

/// An order Bulwark means to send. The `clientOrderID` is made once per intent and persisted before the
/// request leaves, so a retry can never become a second order.
public struct OrderIntent: Hashable, Sendable, Codable {
    public var clientOrderID: String
    public var symbol: Symbol
    public var side: OrderSide
    public var quantity: Decimal
    /// `nil` for a market order.
    public var limitPrice: Decimal?
    public var createdAt: Timestamp
    /// The flow alert that caused the order, when one did (journaled with the intent).
    public var alertID: String?
    /// The rule of a close (journaled with the intent); nil for an entry.
    public var closeRule: CloseRule?

    public init(
        clientOrderID: String, symbol: Symbol, side: OrderSide, quantity: Decimal, limitPrice: Decimal?,
        createdAt: Timestamp, alertID: String? = nil, closeRule: CloseRule? = nil
    ) {
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.createdAt = createdAt
        self.alertID = alertID
        self.closeRule = closeRule
    }
}

extension OrderIntent {
    /// A fresh client order id: `bw-` and a random UUID, then `-a` and the alert that caused it, if any (up
    /// to 64 of its letters, digits and dashes: Alpaca takes 128 characters), so that the broker's own order
    /// history says which alerts were acted on. Made once per intent, never for a retry.
    public static func newClientOrderID(alertID: String? = nil) -> String {
        let base = "bw-" + UUID().uuidString.lowercased()
        guard let alertID else { return base }
        let kept = String(alertID.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }.prefix(64))
        // An id that loses characters here could name another alert: it is left out instead.
        guard !kept.isEmpty, kept == alertID else { return base }
        return base + "-a" + kept
    }

    /// The alert a Bulwark client order id names (`newClientOrderID(alertID:)`), if it names one.
    public static func alertID(inClientOrderID clientOrderID: String) -> String? {
        let prefix = "bw-".count + 36
        guard isBulwarks(clientOrderID), clientOrderID.count > prefix + 2 else { return nil }
        let tail = clientOrderID.dropFirst(prefix)
        guard tail.hasPrefix("-a") else { return nil }
        return String(tail.dropFirst(2))
    }

    /// Whether `clientOrderID` is one Bulwark made (`newClientOrderID`), not an order sent by other means.
    public static func isBulwarks(_ clientOrderID: String) -> Bool {
        clientOrderID.hasPrefix("bw-")
    }
}

/// The broker accepted an order.
public struct OrderSubmission: Hashable, Sendable, Codable {
    public var clientOrderID: String
    public var brokerOrderID: String
    public var symbol: Symbol
    public var side: OrderSide
    public var quantity: Decimal

    public init(clientOrderID: String, brokerOrderID: String, symbol: Symbol, side: OrderSide, quantity: Decimal) {
        self.clientOrderID = clientOrderID
        self.brokerOrderID = brokerOrderID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
    }
}

/// A (partial or complete) fill reported by the broker.
public struct OrderFill: Hashable, Sendable, Codable {
    public var clientOrderID: String
    public var symbol: Symbol
    public var side: OrderSide
    public var quantity: Decimal
    public var price: Decimal
    public var isComplete: Bool
    /// Found by reconciliation (an order that ended while nobody followed it), not by following the order.
    public var adopted: Bool

    public init(clientOrderID: String, symbol: Symbol, side: OrderSide, quantity: Decimal, price: Decimal, isComplete: Bool, adopted: Bool = false) {
        self.adopted = adopted
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.price = price
        self.isComplete = isComplete
    }
}

/// The broker refused an order, or it ended without a fill (canceled, expired).
public struct OrderRejection: Hashable, Sendable, Codable {
    public var clientOrderID: String
    public var symbol: Symbol
    public var side: OrderSide
    public var reason: String

    public init(clientOrderID: String, symbol: Symbol, side: OrderSide, reason: String) {
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.reason = reason
    }
}

/// The trade guard refused an order before it was sent: which check, its limit and the value that broke it.
public struct GuardRejection: Hashable, Sendable, Codable {
    public var symbol: String
    public var side: OrderSide
    public var quantity: Decimal
    public var check: String
    public var message: String
    public var limit: String
    public var actual: String

    public init(symbol: String, side: OrderSide, quantity: Decimal, check: String, message: String, limit: String, actual: String) {
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.check = check
        self.message = message
        self.limit = limit
        self.actual = actual
    }
}

/// The figures of the account that the guard and the console need.
public struct AccountSnapshot: Hashable, Sendable, Codable {
    public var equity: Decimal
    public var cash: Decimal
    public var buyingPower: Decimal

    public init(equity: Decimal, cash: Decimal, buyingPower: Decimal) {
        self.equity = equity
        self.cash = cash
        self.buyingPower = buyingPower
    }
}

extension OrderFill {
    private enum CodingKeys: String, CodingKey {
        case clientOrderID, symbol, side, quantity, price, isComplete, adopted
    }

    /// `adopted` is absent from fills encoded before it was known (false).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            clientOrderID: try container.decode(String.self, forKey: .clientOrderID), symbol: try container.decode(Symbol.self, forKey: .symbol),
            side: try container.decode(OrderSide.self, forKey: .side), quantity: try container.decode(Decimal.self, forKey: .quantity),
            price: try container.decode(Decimal.self, forKey: .price), isComplete: try container.decode(Bool.self, forKey: .isComplete),
            adopted: try container.decodeIfPresent(Bool.self, forKey: .adopted) ?? false)
    }
}
