/// A refusal the exchange answers with, in Alpaca's `{"code", "message"}` form.
public struct ExchangeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    /// Alpaca's business code (`40010001`, `40310000`, …); `nil` when the body has only a message.
    public var code: Int?
    public var message: String

    public init(status: Int, code: Int?, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status) \(code.map(String.init) ?? "-") \(message)" }

    /// 403 `{"message":"forbidden."}`: wrong or missing Alpaca keys.
    public static let forbidden = ExchangeError(status: 403, code: nil, message: "forbidden.")

    /// 422 for a `client_order_id` used before, ever.
    public static let duplicateClientOrderID = ExchangeError(
        status: 422, code: 40_010_001, message: "client_order_id must be unique")

    public static let insufficientBuyingPower = ExchangeError(
        status: 403, code: 40_310_000, message: "insufficient buying power")

    public static let orderNotFound = ExchangeError(status: 404, code: 40_410_000, message: "order not found")

    public static let positionNotFound = ExchangeError(status: 404, code: 40_410_000, message: "position does not exist")

    /// 422 with Alpaca's generic invalid-request code.
    public static func invalid(_ message: String) -> ExchangeError {
        ExchangeError(status: 422, code: 40_010_001, message: message)
    }

    /// 400 for a body or query that cannot be read at all.
    public static func badRequest(_ message: String) -> ExchangeError {
        ExchangeError(status: 400, code: 40_010_000, message: message)
    }

    /// 413 for a request body larger than the exchange reads; the connection is closed after the answer.
    public static func bodyTooLarge(limit: Int) -> ExchangeError {
        ExchangeError(status: 413, code: 40_010_000, message: "request body is larger than \(limit) bytes")
    }

    public static func insufficientQuantity(requested: String, available: String) -> ExchangeError {
        ExchangeError(
            status: 403, code: 40_310_000,
            message: "insufficient qty available for order (requested: \(requested), available: \(available))")
    }

    /// The body of this error, as Alpaca writes it.
    public var body: JSONValue {
        var object: JSONObject = [:]
        if let code { object["code"] = .int(code) }
        object["message"] = .string(message)
        return .object(object)
    }
}
