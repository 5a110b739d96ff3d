import Foundation
import Primitives
import TradingModel

extension AlpacaTradingClient {
    /// `GET /v2/orders?status=closed&after=…&direction=desc&limit=500`: the orders that have ended among
    /// those submitted after `after` (Alpaca filters on the submission time), newest first.
    public func closedOrders(after: Timestamp) async throws -> [BrokerOrder] {
        let query = [("status", "closed"), ("after", after.rfc3339), ("direction", "desc"), ("limit", "500")]
        let orders = try await requester.get("/v2/orders", query: query, as: [AlpacaOrder].self)
        return try orders.map { order throws(APIError) in try Self.brokerOrder(order, endpoint: "GET /v2/orders?status=closed") }
    }
}
