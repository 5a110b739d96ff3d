import Foundation
import Primitives
import TradingModel

/// Alpaca's trading API v2 (or the paper exchange, which speaks it): account, positions, orders, clock.
/// Keys travel only in the `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY` headers.
public struct AlpacaTradingClient: Broker {
    public let requester: APIRequester

    public init(requester: APIRequester) {
        self.requester = requester
    }

    /// The headers Alpaca authenticates with.
    public static func authHeaders(keyID: Secret, secretKey: Secret) -> [(name: String, value: String)] {
        [("APCA-API-KEY-ID", keyID.exposedValue), ("APCA-API-SECRET-KEY", secretKey.exposedValue), ("Accept", "application/json")]
    }

    public func accountDetails() async throws(APIError) -> AlpacaAccount {
        try await requester.get("/v2/account", as: AlpacaAccount.self)
    }

    public func account() async throws -> AccountSnapshot {
        try await accountDetails().snapshot
    }

    public func positionDetails() async throws(APIError) -> [AlpacaPosition] {
        try await requester.get("/v2/positions", as: [AlpacaPosition].self)
    }

    public func positions() async throws -> [BrokerPosition] {
        let positions = try await positionDetails()
        return try positions.map { position throws(APIError) in
            guard let broker = position.brokerPosition else {
                throw APIError(kind: .failure(.schema), api: requester.api, endpoint: "GET /v2/positions", message: "position \(position.symbol) has side \"\(position.side.rawValue)\", which this build does not know")
            }
            return broker
        }
    }

    public func orders(status: String = "open", limit: Int = 500, symbols: [Symbol] = []) async throws(APIError) -> [AlpacaOrder] {
        var query = [("status", status), ("limit", "\(limit)")]
        if !symbols.isEmpty { query.append(("symbols", symbols.map(\.rawValue).joined(separator: ","))) }
        return try await requester.get("/v2/orders", query: query, as: [AlpacaOrder].self)
    }

    public func openOrders() async throws -> [BrokerOrder] {
        try await orders(status: "open").map { order throws(APIError) in try Self.brokerOrder(order, endpoint: "GET /v2/orders") }
    }

    /// The order with this client order id, or nil when Alpaca never received one (404).
    public func orderDetails(clientOrderID: String) async throws(APIError) -> AlpacaOrder? {
        do {
            return try await requester.get("/v2/orders:by_client_order_id", query: [("client_order_id", clientOrderID)], as: AlpacaOrder.self)
        } catch where error.kind == .notFound {
            return nil
        }
    }

    public func order(clientOrderID: String) async throws -> BrokerOrder? {
        try await orderDetails(clientOrderID: clientOrderID).map { order throws(APIError) in
            try Self.brokerOrder(order, endpoint: "GET /v2/orders:by_client_order_id")
        }
    }

    public func order(id: String) async throws(APIError) -> AlpacaOrder {
        try await requester.get("/v2/orders/\(id)", as: AlpacaOrder.self)
    }

    /// One `POST /v2/orders`, never retried here: use `OrderSubmitter`, which resolves ambiguous
    /// failures by looking the order up instead of sending it twice.
    public func submitOnce(_ intent: OrderIntent) async throws(APIError) -> AlpacaOrder {
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(AlpacaOrderRequest(intent: intent)))
        } catch {
            throw APIError(kind: .failure(.unknown), api: requester.api, endpoint: "POST /v2/orders", message: "cannot encode the order: \(error.operatorText)")
        }
        let response = try await requester.send("POST", "/v2/orders", body: body, retry: .never)
        return try requester.decode(AlpacaOrder.self, from: response, endpoint: "POST /v2/orders")
    }

    public func cancel(orderID: String) async throws(APIError) {
        _ = try await requester.send("DELETE", "/v2/orders/\(orderID)")
    }

    public func clock() async throws(APIError) -> AlpacaClock {
        try await requester.get("/v2/clock", as: AlpacaClock.self)
    }

    static func brokerOrder(_ order: AlpacaOrder, endpoint: String) throws(APIError) -> BrokerOrder {
        guard let broker = order.brokerOrder else {
            throw APIError(kind: .failure(.schema), api: "alpaca", endpoint: endpoint, message: "order \(order.id) has side \"\(order.side.rawValue)\", which this build does not know")
        }
        return broker
    }
}
