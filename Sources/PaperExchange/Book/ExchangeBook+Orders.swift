import Foundation
import Primitives

extension ExchangeBook {
    /// Accepts an order, or refuses it as Alpaca would: 422 for an unknown asset, a reused
    /// `client_order_id` or a short sale of a fraction; 403 with code 40310000 for a lack of buying power
    /// or of shares. An accepted order is matched on the next `advance(to:)`.
    public mutating func submit(_ request: OrderRequest, now: Timestamp) throws(ExchangeError) -> PaperOrder {
        try request.validate()
        let now = now.truncatedToMilliseconds
        guard market.listing(request.symbol) != nil, let quote = market.quote(request.symbol) else {
            throw .invalid("asset \"\(request.symbol.rawValue)\" not found")
        }
        if let clientOrderID = request.clientOrderID, usedClientOrderIDs.contains(clientOrderID) {
            throw .duplicateClientOrderID
        }
        let held = positionRecords[request.symbol]?.quantity ?? 0
        if let refusal = accountConfiguration.refusal(of: request, held: held) { throw refusal }
        let touch = request.side == .buy ? quote.ask : quote.bid
        let shares = request.quantity ?? ((request.notional ?? 0) / touch).rounded(9, .down)
        let isFractional = request.notional != nil || shares.decimalPlaces > 0
        let intent: String
        switch request.side {
        case .sell where held > 0:
            let available = held - reserved(request.symbol, side: .sell)
            guard shares <= available else {
                throw .insufficientQuantity(requested: DecimalText.format(shares), available: DecimalText.format(max(0, available)))
            }
            intent = "sell_to_close"
        case .sell:
            guard !isFractional else { throw .invalid("fractional orders cannot be sold short") }
            guard shares * quote.bid <= accountFigures.buyingPower else { throw .insufficientBuyingPower }
            intent = "sell_to_open"
        case .buy where held < 0:
            let available = -held - reserved(request.symbol, side: .buy)
            guard shares <= available else {
                throw .insufficientQuantity(requested: DecimalText.format(shares), available: DecimalText.format(max(0, available)))
            }
            intent = "buy_to_close"
        case .buy:
            let cost = request.notional ?? shares * (request.limitPrice ?? quote.ask)
            guard cost <= accountFigures.buyingPower else { throw .insufficientBuyingPower }
            intent = "buy_to_open"
        }

        orderCount += 1
        let clientOrderID = request.clientOrderID ?? Mixing.uuid(seed, 0xC11E, UInt64(orderCount))
        usedClientOrderIDs.insert(clientOrderID)
        let order = PaperOrder(
            id: Mixing.uuid(seed, 0x0DE5, UInt64(orderCount)), clientOrderID: clientOrderID, sequence: orderCount,
            symbol: request.symbol, side: request.side, kind: request.kind, timeInForce: request.timeInForce,
            quantity: request.quantity, notional: request.notional, limitPrice: request.limitPrice, status: .accepted,
            filledQuantity: 0, filledAveragePrice: nil, positionIntent: intent, createdAt: now, updatedAt: now,
            submittedAt: now, filledAt: nil, canceledAt: nil, expiredAt: nil)
        orders.append(order)
        if configuration.session == .nyse && order.timeInForce == .day {
            orders[orders.count - 1].sessionClose = MarketCalendar.currentOrNextSession(after: now).close
        }
        trimClosedOrders()
        revision += 1
        return orders[orders.count - 1]
    }

    /// Cancels an open order; 404 for an unknown id, 422 for an order that is no longer open.
    @discardableResult
    public mutating func cancel(orderID: String, now: Timestamp) throws(ExchangeError) -> PaperOrder {
        guard let index = orders.firstIndex(where: { $0.id == orderID }) else { throw .orderNotFound }
        guard orders[index].isOpen else {
            throw ExchangeError(
                status: 422, code: 42_210_000, message: "order is already in \"\(orders[index].status.rawValue)\" state")
        }
        let now = now.truncatedToMilliseconds
        orders[index].status = .canceled
        orders[index].canceledAt = now
        orders[index].updatedAt = now
        revision += 1
        return orders[index]
    }

    /// Sends a market order that closes all of a position, `quantity` shares of it, or `percentage`
    /// percent of it; returns that order. 404 when there is no position.
    public mutating func closePosition(
        _ symbol: Symbol, quantity: Decimal? = nil, percentage: Decimal? = nil, now: Timestamp
    ) throws(ExchangeError) -> PaperOrder {
        guard let position = positionRecords[symbol] else { throw .positionNotFound }
        let held = abs(position.quantity)
        var shares = held
        if let quantity {
            guard quantity > 0, quantity <= held else { throw .invalid("qty must be > 0 and at most the position's \(DecimalText.format(held))") }
            shares = quantity
        } else if let percentage {
            guard percentage > 0, percentage <= 100 else { throw .invalid("percentage must be > 0 and at most 100") }
            shares = (held * percentage / 100).rounded(9, .down)
        }
        let side: OrderSide = position.quantity > 0 ? .sell : .buy
        let request = OrderRequest(symbol: symbol, side: side, kind: .market, timeInForce: .day, quantity: shares)
        return try submit(request, now: now)
    }

    /// Shares held by open orders of `side` on `symbol` (a notional order counts at today's touch).
    func reserved(_ symbol: Symbol, side: OrderSide) -> Decimal {
        orders.reduce(Decimal(0)) { total, order in
            guard order.isOpen, order.symbol == symbol, order.side == side else { return total }
            if let remaining = order.remainingQuantity { return total + remaining }
            guard let notional = order.notional, let quote = market.quote(symbol) else { return total }
            return total + (notional / (side == .buy ? quote.ask : quote.bid)).rounded(9, .down)
        }
    }

    /// Keeps every open order and the newest `closedOrdersKept` closed ones.
    private mutating func trimClosedOrders() {
        let closed = orders.lazy.filter { !$0.isOpen }.count
        guard closed > configuration.closedOrdersKept else { return }
        var toDrop = closed - configuration.closedOrdersKept
        orders.removeAll { order in
            guard toDrop > 0, !order.isOpen else { return false }
            toDrop -= 1
            return true
        }
    }
}
