import Foundation
import Primitives

/// Alpaca's account configurations (`GET|PATCH /v2/account/configurations`). The exchange honours
/// `suspend_trade` (new orders refused), `no_shorting` (short sales refused) and `fractional_trading`
/// (fractional and notional orders refused); the others are kept and shown.
public struct AccountConfiguration: Sendable, Hashable, Codable {
    public var dtbpCheck = "entry"
    public var tradeConfirmEmail = "all"
    public var suspendTrade = false
    public var noShorting = false
    public var fractionalTrading = true
    public var maxMarginMultiplier = "2"
    public var pdtCheck = "entry"
    public var ptpNoExceptionEntry = false

    enum CodingKeys: String, CodingKey {
        case dtbpCheck = "dtbp_check"
        case tradeConfirmEmail = "trade_confirm_email"
        case suspendTrade = "suspend_trade"
        case noShorting = "no_shorting"
        case fractionalTrading = "fractional_trading"
        case maxMarginMultiplier = "max_margin_multiplier"
        case pdtCheck = "pdt_check"
        case ptpNoExceptionEntry = "ptp_no_exception_entry"
    }

    public init() {}

    public var json: JSONValue {
        .object([
            "dtbp_check": .string(dtbpCheck),
            "trade_confirm_email": .string(tradeConfirmEmail),
            "suspend_trade": .bool(suspendTrade),
            "no_shorting": .bool(noShorting),
            "fractional_trading": .bool(fractionalTrading),
            "max_margin_multiplier": .string(maxMarginMultiplier),
            "pdt_check": .string(pdtCheck),
            "ptp_no_exception_entry": .bool(ptpNoExceptionEntry),
        ])
    }

    /// This configuration with the members of a `PATCH` body applied; a member that is absent or `null`
    /// is left as it is, one of the wrong type or value is a 422 naming it.
    public func applying(_ body: JSONValue) throws(ExchangeError) -> AccountConfiguration {
        guard case .object(let members) = body else { throw .badRequest("request body format is invalid") }
        var result = self
        func choice(_ key: String, _ allowed: [String]) throws(ExchangeError) -> String? {
            switch members[key] {
            case nil, .null?: return nil
            case .string(let text)? where allowed.contains(text): return text
            case let other?:
                throw .invalid("\(key) must be one of \(allowed.joined(separator: ", ")), not \(displayExcerpt(other.serialized))")
            }
        }
        func flag(_ key: String) throws(ExchangeError) -> Bool? {
            switch members[key] {
            case nil, .null?: return nil
            case .bool(let value)?: return value
            case let other?: throw .invalid("\(key) must be true or false, not \(displayExcerpt(other.serialized))")
            }
        }
        if let value = try choice("dtbp_check", ["both", "entry", "exit"]) { result.dtbpCheck = value }
        if let value = try choice("trade_confirm_email", ["all", "none"]) { result.tradeConfirmEmail = value }
        if let value = try choice("pdt_check", ["both", "entry", "exit"]) { result.pdtCheck = value }
        if let value = try flag("suspend_trade") { result.suspendTrade = value }
        if let value = try flag("no_shorting") { result.noShorting = value }
        if let value = try flag("fractional_trading") { result.fractionalTrading = value }
        if let value = try flag("ptp_no_exception_entry") { result.ptpNoExceptionEntry = value }
        switch members["max_margin_multiplier"] {
        case nil, .null?: break
        case let value?:
            guard let number = value.decimalValue, number == 1 || number == 2 else {
                throw .invalid("max_margin_multiplier must be 1 or 2, not \(displayExcerpt(value.serialized))")
            }
            result.maxMarginMultiplier = DecimalText.format(number)
        }
        return result
    }

    /// Why the configuration refuses `request` (given the shares held), if it does.
    func refusal(of request: OrderRequest, held: Decimal) -> ExchangeError? {
        if suspendTrade { return ExchangeError(status: 403, code: 40_310_000, message: "new orders are suspended by the account configuration (suspend_trade)") }
        if noShorting, request.side == .sell, held <= 0 {
            return ExchangeError(status: 403, code: 40_310_000, message: "short sales are disabled by the account configuration (no_shorting)")
        }
        if !fractionalTrading, request.notional != nil || (request.quantity ?? 0).decimalPlaces > 0 {
            return .invalid("fractional orders are disabled by the account configuration (fractional_trading)")
        }
        return nil
    }
}
