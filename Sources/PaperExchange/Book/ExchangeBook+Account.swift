import Foundation
import Primitives

/// A position valued at the current price, with the figures of Alpaca's position object.
public struct PositionView: Sendable, Hashable {
    public var listing: Listing
    /// Signed: negative for a short.
    public var quantity: Decimal
    /// Shares not held by open closing orders (signed like `quantity`).
    public var availableQuantity: Decimal
    public var averageEntryPrice: Decimal
    public var currentPrice: Decimal
    public var lastdayPrice: Decimal

    public var symbol: Symbol { listing.symbol }
    public var isLong: Bool { quantity > 0 }
    public var marketValue: Decimal { (quantity * currentPrice).rounded(2) }
    public var costBasis: Decimal { (quantity * averageEntryPrice).rounded(2) }
    public var unrealizedPL: Decimal { marketValue - costBasis }
    public var unrealizedPLPercent: Decimal { costBasis.isZero ? 0 : (unrealizedPL / abs(costBasis)).rounded(16) }
    public var changeToday: Decimal { lastdayPrice.isZero ? 0 : ((currentPrice - lastdayPrice) / lastdayPrice).rounded(16) }
}

/// The account's figures at current prices.
public struct AccountFigures: Sendable, Hashable {
    public var cash: Decimal
    public var longMarketValue: Decimal
    public var shortMarketValue: Decimal
    public var equity: Decimal
    public var initialMargin: Decimal
    public var maintenanceMargin: Decimal
    public var buyingPower: Decimal
    public var nonMarginableBuyingPower: Decimal
}

extension ExchangeBook {
    /// Open positions by symbol.
    public var positions: [PositionView] {
        positionRecords.values.sorted { $0.symbol < $1.symbol }.compactMap { position(for: $0.symbol) }
    }

    public func position(for symbol: Symbol) -> PositionView? {
        guard let record = positionRecords[symbol] else { return nil }
        let quote = market.quote(symbol)
        let closingSide: OrderSide = record.quantity > 0 ? .sell : .buy
        let available = abs(record.quantity) - reserved(symbol, side: closingSide)
        return PositionView(
            listing: quote?.listing ?? Listing.listing(for: symbol), quantity: record.quantity,
            availableQuantity: max(0, available) * (record.quantity > 0 ? 1 : -1),
            averageEntryPrice: record.averageEntryPrice.rounded(4), currentPrice: quote?.last ?? record.averageEntryPrice,
            lastdayPrice: quote?.lastday ?? record.averageEntryPrice)
    }

    /// Cash, market values, margin and buying power. Buying power is Reg T: (equity − initial margin) ×
    /// multiplier, less what open orders that add exposure would cost; with a multiplier of 1 it is cash.
    public var accountFigures: AccountFigures {
        var longValue: Decimal = 0
        var shortValue: Decimal = 0
        for record in positionRecords.values {
            let price = market.quote(record.symbol)?.last ?? record.averageEntryPrice
            let value = record.quantity * price
            if value > 0 { longValue += value } else { shortValue += value }
        }
        let equity = cash + longValue + shortValue
        let initialMargin = (longValue - shortValue) / 2
        let maintenance = longValue * Decimal(string: "0.25")! - shortValue * Decimal(string: "0.3")!
        let reservation = openOrderReservation
        let multiplier = configuration.marginMultiplier
        let buyingPower = multiplier <= 1 ? cash - reservation : (equity - initialMargin) * multiplier - reservation
        return AccountFigures(
            cash: cash.rounded(2), longMarketValue: longValue.rounded(2), shortMarketValue: shortValue.rounded(2),
            equity: equity.rounded(2), initialMargin: initialMargin.rounded(2), maintenanceMargin: maintenance.rounded(2),
            buyingPower: max(0, buyingPower).rounded(2), nonMarginableBuyingPower: max(0, cash - reservation).rounded(2))
    }

    /// What open orders that open or add to a position would cost: buys at their limit (or the ask),
    /// short sales at the bid.
    private var openOrderReservation: Decimal {
        orders.reduce(Decimal(0)) { total, order in
            guard order.isOpen, let quote = market.quote(order.symbol) else { return total }
            let held = positionRecords[order.symbol]?.quantity ?? 0
            switch order.side {
            case .buy where held >= 0:
                if let notional = order.notional { return total + notional }
                return total + (order.remainingQuantity ?? 0) * (order.limitPrice ?? quote.ask)
            case .sell where held <= 0:
                return total + (order.remainingQuantity ?? 0) * (order.limitPrice ?? quote.bid)
            default:
                return total
            }
        }
    }
}
