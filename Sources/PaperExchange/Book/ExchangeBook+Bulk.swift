import Foundation
import Primitives

extension ExchangeBook {
    /// One order's part of a cancel-all (`DELETE /v2/orders`), or one position's part of a close-all
    /// (`DELETE /v2/positions`): what a single request would have answered.
    public struct BulkOutcome: Sendable {
        /// The order id (cancel-all) or the symbol (close-all).
        public var key: String
        /// The order canceled, or the closing order sent; or why not.
        public var result: Result<PaperOrder, ExchangeError>

        public var status: Int {
            switch result {
            case .success: 200
            case .failure(let error): error.status
            }
        }
    }

    /// Cancels every open order, oldest first; one outcome per order that was open.
    public mutating func cancelAllOrders(now: Timestamp) -> [BulkOutcome] {
        let open = orders.filter(\.isOpen).map(\.id)
        return open.map { id in
            do throws(ExchangeError) {
                return BulkOutcome(key: id, result: .success(try cancel(orderID: id, now: now)))
            } catch {
                return BulkOutcome(key: id, result: .failure(error))
            }
        }
    }

    /// Sends a market order closing each position, by symbol; with `cancelOrders` every open order is
    /// canceled first (otherwise shares held by open orders make that position's close fail, as at Alpaca).
    public mutating func closeAllPositions(cancelOrders: Bool, now: Timestamp) -> [BulkOutcome] {
        if cancelOrders { _ = cancelAllOrders(now: now) }
        let symbols = positionRecords.keys.sorted()
        return symbols.map { symbol in
            do throws(ExchangeError) {
                return BulkOutcome(key: symbol.rawValue, result: .success(try closePosition(symbol, now: now)))
            } catch {
                return BulkOutcome(key: symbol.rawValue, result: .failure(error))
            }
        }
    }

    /// Replaces an open order (`PATCH /v2/orders/{id}`): a new order with the old one's symbol, side and
    /// type and the changed fields, whose `replaces` is the old id; the old one becomes `replaced` with
    /// `replaced_by` set. The new order is checked like any other with the old one no longer holding
    /// buying power or shares; if it is refused, the old order stays as it was. 404 for an unknown id,
    /// 422 for an order that is no longer open.
    public mutating func replace(orderID: String, with change: OrderReplacement, now: Timestamp) throws(ExchangeError) -> PaperOrder {
        guard let index = orders.firstIndex(where: { $0.id == orderID }) else { throw .orderNotFound }
        let old = orders[index]
        guard old.isOpen else {
            throw ExchangeError(status: 422, code: 42_210_000, message: "order is already in \"\(old.status.rawValue)\" state")
        }
        if change.limitPrice != nil && old.kind != .limit {
            throw .invalid("limit_price can only be changed on a limit order")
        }
        let now = now.truncatedToMilliseconds
        let saved = self
        orders[index].status = .replaced
        orders[index].replacedAt = now
        orders[index].updatedAt = now
        let request = OrderRequest(
            symbol: old.symbol, side: old.side, kind: old.kind, timeInForce: change.timeInForce ?? old.timeInForce,
            quantity: change.quantity ?? (old.notional == nil ? old.remainingQuantity : nil),
            notional: change.quantity == nil ? old.notional : nil, limitPrice: change.limitPrice ?? old.limitPrice,
            clientOrderID: change.clientOrderID)
        var replacement: PaperOrder
        do throws(ExchangeError) {
            replacement = try submit(request, now: now)
        } catch {
            self = saved
            throw error
        }
        guard let oldIndex = orders.firstIndex(where: { $0.id == orderID }),
            let newIndex = orders.firstIndex(where: { $0.id == replacement.id })
        else { return replacement }
        orders[oldIndex].replacedBy = replacement.id
        orders[newIndex].replaces = orderID
        replacement = orders[newIndex]
        revision += 1
        return replacement
    }

    /// The symbol of `text`, a ticker or an asset id (`GET /v2/positions/{symbol_or_asset_id}`, assets):
    /// an asset id is looked up among the market's symbols and the positions held.
    public func symbol(forSymbolOrAssetID text: String) -> Symbol? {
        let lowered = text.lowercased()
        if lowered.count == 36, lowered.filter({ $0 == "-" }).count == 4 {
            let candidates = market.symbols + positionRecords.keys.sorted()
            return candidates.first { Listing.listing(for: $0).assetID == lowered }
        }
        return Symbol(text.uppercased())
    }
}

/// The body of `PATCH /v2/orders/{id}`: `qty`, `limit_price`, `time_in_force`, `client_order_id` (each
/// optional; numbers as strings or numbers). Stop and trailing fields are refused: the paper exchange has
/// no stop orders.
public struct OrderReplacement: Sendable, Hashable {
    public var quantity: Decimal?
    public var limitPrice: Decimal?
    public var timeInForce: PaperOrder.TimeInForce?
    public var clientOrderID: String?

    public init(
        quantity: Decimal? = nil, limitPrice: Decimal? = nil, timeInForce: PaperOrder.TimeInForce? = nil, clientOrderID: String? = nil
    ) {
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.timeInForce = timeInForce
        self.clientOrderID = clientOrderID
    }

    public init(json: JSONValue) throws(ExchangeError) {
        guard case .object(let body) = json else { throw .badRequest("request body format is invalid") }
        func decimal(_ key: String) throws(ExchangeError) -> Decimal? {
            switch body[key] {
            case nil, .null?: return nil
            case let value?:
                guard let number = value.decimalValue else { throw .invalid("invalid \(key): \(displayExcerpt(value.serialized))") }
                return number
            }
        }
        for key in ["stop_price", "trail", "trail_price", "trail_percent"] where body[key] != nil && body[key] != .null {
            throw .invalid("\(key) cannot be replaced: the paper exchange has no stop orders")
        }
        quantity = try decimal("qty")
        limitPrice = try decimal("limit_price")
        switch body["time_in_force"] {
        case nil, .null?: timeInForce = nil
        case .string(let text)?:
            guard let value = PaperOrder.TimeInForce(rawValue: text) else {
                throw .invalid("time_in_force \(displayExcerpt(text)) is not supported by the paper exchange (day, gtc and ioc are)")
            }
            timeInForce = value
        case let other?: throw .invalid("time_in_force must be a string, not \(other.typeName)")
        }
        switch body["client_order_id"] {
        case nil, .null?: clientOrderID = nil
        case .string(let text)?: clientOrderID = text
        case let other?: throw .invalid("client_order_id must be a string, not \(other.typeName)")
        }
        if let quantity, quantity <= 0 { throw .invalid("qty must be > 0") }
    }
}

extension PaperOrder {
    /// When a day order expires: the close of the session it was submitted in. `nil` for GTC and IOC.
    public var expiresAt: Timestamp? {
        guard timeInForce == .day else { return nil }
        return sessionClose ?? ExchangeBook.sessionEnd(of: ExchangeBook.session(of: submittedAt.epochMilliseconds))
    }
}
