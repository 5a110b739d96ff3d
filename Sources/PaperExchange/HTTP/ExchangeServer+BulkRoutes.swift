import Foundation
import Hummingbird
import Primitives

extension ExchangeServer {
    /// Cancel-all, close-all and replace: Alpaca's `DELETE /v2/orders` and `DELETE /v2/positions` answer
    /// 207 Multi-Status with one entry per order or position (`{id|symbol, status, body}`, the body being
    /// the order or the error a single request would have had); `PATCH /v2/orders/{id}` answers the new order.
    func addBulkOrderRoutes(_ router: Router<ExchangeRequestContext>) {
        route(router, .delete, "/v2/orders", .alpaca) { _, _, desk in
            let outcomes = try desk.transact { book, now in book.cancelAllOrders(now: now) }
            return Reply(status: 207, body: .array(outcomes.map { Self.multiStatusEntry($0, key: "id") }))
        }
        route(router, .delete, "/v2/positions", .alpaca) { request, _, desk in
            let cancelOrders: Bool
            switch request.uri.queryParameters.get("cancel_orders")?.lowercased() {
            case nil, "", "false": cancelOrders = false
            case "true": cancelOrders = true
            case let other?: throw ExchangeError.invalid("cancel_orders must be true or false, not \(displayExcerpt(other))")
            }
            let outcomes = try desk.transact { book, now in book.closeAllPositions(cancelOrders: cancelOrders, now: now) }
            return Reply(status: 207, body: .array(outcomes.map { Self.multiStatusEntry($0, key: "symbol") }))
        }
        route(router, .patch, "/v2/orders/{id}", .alpaca) { [self] request, context, desk in
            let id = context.parameters.get("id") ?? ""
            let change = try OrderReplacement(json: try await jsonBody(request))
            return .ok(
                try desk.transact { book, now throws(ExchangeError) in
                    AlpacaJSON.order(try book.replace(orderID: id, with: change, now: now))
                })
        }
    }

    static func multiStatusEntry(_ outcome: ExchangeBook.BulkOutcome, key: String) -> JSONValue {
        let body: JSONValue =
            switch outcome.result {
            case .success(let order): AlpacaJSON.order(order)
            case .failure(let error): error.body
            }
        return .object([key: .string(outcome.key), "status": .int(outcome.status), "body": body])
    }

    /// The symbol of a `{symbol_or_asset_id}` path segment.
    static func positionSymbol(_ text: String, in book: ExchangeBook) throws(ExchangeError) -> Symbol {
        guard let symbol = book.symbol(forSymbolOrAssetID: text) else {
            if text.count == 36 { throw .positionNotFound }
            throw .invalid("invalid symbol: \(displayExcerpt(text))")
        }
        return symbol
    }
}
