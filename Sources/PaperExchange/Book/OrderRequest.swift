import Foundation
import Primitives

/// A `POST /v2/orders` body, read and checked the way Alpaca checks it. Quantities and prices may be
/// JSON strings or numbers.
public struct OrderRequest: Sendable, Hashable {
    public var symbol: Symbol
    public var side: OrderSide
    public var kind: PaperOrder.Kind
    public var timeInForce: PaperOrder.TimeInForce
    public var quantity: Decimal?
    public var notional: Decimal?
    public var limitPrice: Decimal?
    public var clientOrderID: String?

    public init(
        symbol: Symbol, side: OrderSide, kind: PaperOrder.Kind = .market, timeInForce: PaperOrder.TimeInForce = .day,
        quantity: Decimal? = nil, notional: Decimal? = nil, limitPrice: Decimal? = nil, clientOrderID: String? = nil
    ) {
        self.symbol = symbol
        self.side = side
        self.kind = kind
        self.timeInForce = timeInForce
        self.quantity = quantity
        self.notional = notional
        self.limitPrice = limitPrice
        self.clientOrderID = clientOrderID
    }

    /// Reads and validates a request body; a 422 names the first problem found, echoing what was sent cut
    /// to 64 characters with control characters written out.
    public init(json: JSONValue) throws(ExchangeError) {
        guard case .object(let body) = json else { throw .badRequest("request body format is invalid") }

        func text(_ key: String) throws(ExchangeError) -> String? {
            switch body[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            case let other?: throw .invalid("\(key) must be a string, not \(other.typeName)")
            }
        }
        func decimal(_ key: String) throws(ExchangeError) -> Decimal? {
            switch body[key] {
            case nil, .null?: return nil
            case let value?:
                guard let number = value.decimalValue else { throw .invalid("invalid \(key): \(displayExcerpt(value.serialized))") }
                return number
            }
        }

        guard let symbolText = try text("symbol"), !symbolText.isEmpty else { throw .invalid("symbol is required") }
        guard !symbolText.containsControlCharacter else { throw .invalid("symbol must not contain control characters") }
        guard let symbol = Symbol(symbolText.uppercased()) else { throw .invalid("invalid symbol: \(displayExcerpt(symbolText))") }
        guard let sideText = try text("side") else { throw .invalid("side is required") }
        guard let side = OrderSide(rawValue: sideText) else { throw .invalid("invalid side: \(displayExcerpt(sideText))") }
        var typeField = try text("type")
        if typeField == nil { typeField = try text("order_type") }
        guard let typeText = typeField else { throw .invalid("type is required") }
        let kind: PaperOrder.Kind
        switch typeText {
        case "market": kind = .market
        case "limit": kind = .limit
        case "stop", "stop_limit", "trailing_stop":
            throw .invalid("order type \(typeText) is not supported by the paper exchange (market and limit are)")
        default: throw .invalid("invalid order type: \(displayExcerpt(typeText))")
        }
        guard let tifText = try text("time_in_force") else { throw .invalid("time_in_force is required") }
        let timeInForce: PaperOrder.TimeInForce
        switch tifText {
        case "day": timeInForce = .day
        case "gtc": timeInForce = .gtc
        case "ioc": timeInForce = .ioc
        case "opg", "cls", "fok":
            throw .invalid("time_in_force \(tifText) is not supported by the paper exchange (day, gtc and ioc are)")
        default: throw .invalid("invalid time_in_force: \(displayExcerpt(tifText))")
        }
        if let orderClass = try text("order_class"), !orderClass.isEmpty, orderClass != "simple" {
            throw .invalid("order_class \(displayExcerpt(orderClass)) is not supported by the paper exchange")
        }
        let clientOrderID = try text("client_order_id")

        self.init(
            symbol: symbol, side: side, kind: kind, timeInForce: timeInForce, quantity: try decimal("qty"),
            notional: try decimal("notional"), limitPrice: try decimal("limit_price"), clientOrderID: clientOrderID)
        try validate()
    }

    /// The checks that do not need the market: amounts, precision, combinations.
    public func validate() throws(ExchangeError) {
        switch (quantity, notional) {
        case (nil, nil): throw .invalid("qty or notional is required")
        case (_?, _?): throw .invalid("only one of qty or notional may be specified")
        case (let qty?, nil):
            guard qty > 0 else { throw .invalid("qty must be > 0") }
            guard qty.decimalPlaces <= 9 else { throw .invalid("qty must have at most 9 decimal places") }
            if qty.decimalPlaces > 0 && timeInForce != .day {
                throw .invalid("fractional orders must be DAY orders")
            }
        case (nil, let amount?):
            guard amount >= 1 else { throw .invalid("notional must be at least 1") }
            guard amount.decimalPlaces <= 2 else { throw .invalid("notional must have at most 2 decimal places") }
            guard kind == .market, timeInForce == .day else {
                throw .invalid("notional orders must be market orders with time_in_force day")
            }
        }
        switch kind {
        case .market:
            if limitPrice != nil { throw .invalid("limit_price must not be given for a market order") }
        case .limit:
            guard let limit = limitPrice else { throw .invalid("limit_price is required for a limit order") }
            guard limit > 0 else { throw .invalid("limit_price must be > 0") }
            let allowed = limit >= 1 ? 2 : 4
            guard limit.decimalPlaces <= allowed else {
                throw .invalid(
                    "invalid limit_price \(DecimalText.format(limit)). sub-penny increment does not fulfill minimum pricing criteria")
            }
        }
        if let clientOrderID {
            guard !clientOrderID.isEmpty else { throw .invalid("client_order_id must not be empty") }
            guard !clientOrderID.containsControlCharacter else {
                throw .invalid("client_order_id must not contain control characters")
            }
            guard clientOrderID.count <= 128 else { throw .invalid("client_order_id must be no more than 128 characters") }
        }
    }
}

extension Decimal {
    /// Digits after the decimal point in the shortest form (`1.50` has 1).
    var decimalPlaces: Int {
        let text = DecimalText.format(self)
        guard let point = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: point, to: text.endIndex) - 1
    }

    /// Rounded to `places` decimals.
    func rounded(_ places: Int, _ mode: NSDecimalNumber.RoundingMode = .plain) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, places, mode)
        return result
    }
}
