import Foundation
import Primitives

/// One change of an order, as the trading stream's `trade_updates` reports it.
public struct OrderEvent: Sendable, Equatable {
    /// Alpaca's event names this exchange sends. `partial_fill` and `rejected` are Alpaca's too, but this
    /// exchange fills orders whole and refuses bad orders at the REST call, so it never sends them.
    public enum Kind: String, Sendable, CaseIterable {
        case new
        case fill
        case partialFill = "partial_fill"
        case canceled
        case expired
        case rejected
        case replaced
    }

    public var kind: Kind
    public var order: PaperOrder
    /// On a fill: the price and shares of the execution, and the position in the symbol after it.
    public var price: Decimal?
    public var quantity: Decimal?
    public var positionQuantity: Decimal?
    public var timestamp: Timestamp

    /// The events that take the orders of `old` to those of `new`, in the order they happened: an order
    /// that appears is `new`; an open order that becomes filled, canceled, expired or replaced reports
    /// that. `positions` is the position in each symbol after `new`; a fill's `position_qty` is that
    /// less the fills in the same symbol that come after it.
    static func changes(from old: [PaperOrder], to new: [PaperOrder], positions: (Symbol) -> Decimal) -> [OrderEvent] {
        let before = Dictionary(old.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        var events: [OrderEvent] = []
        for order in new {
            let previous = before[order.id]
            if previous == nil { events.append(OrderEvent(kind: .new, order: order, timestamp: order.submittedAt)) }
            guard previous?.status != order.status else { continue }
            switch order.status {
            case .filled:
                let time = order.filledAt ?? order.updatedAt
                events.append(
                    OrderEvent(kind: .fill, order: order, price: order.filledAveragePrice, quantity: order.filledQuantity, timestamp: time))
            case .canceled: events.append(OrderEvent(kind: .canceled, order: order, timestamp: order.canceledAt ?? order.updatedAt))
            case .expired: events.append(OrderEvent(kind: .expired, order: order, timestamp: order.expiredAt ?? order.updatedAt))
            case .replaced: events.append(OrderEvent(kind: .replaced, order: order, timestamp: order.replacedAt ?? order.updatedAt))
            case .accepted, .new: break
            }
        }
        events = events.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }.map(\.element)
        var later: [Symbol: Decimal] = [:]
        for index in events.indices.reversed() where events[index].kind == .fill {
            let order = events[index].order
            let signed = (order.side == .buy ? 1 : -1) * (events[index].quantity ?? 0)
            events[index].positionQuantity = positions(order.symbol) - later[order.symbol, default: 0]
            later[order.symbol, default: 0] += signed
        }
        return events
    }

    /// The events between two versions of the book.
    public static func changes(from old: ExchangeBook, to new: ExchangeBook) -> [OrderEvent] {
        changes(from: old.orders, to: new.orders) { new.positionRecords[$0]?.quantity ?? 0 }
    }

    init(kind: Kind, order: PaperOrder, price: Decimal? = nil, quantity: Decimal? = nil, positionQuantity: Decimal? = nil, timestamp: Timestamp) {
        self.kind = kind
        self.order = order
        self.price = price
        self.quantity = quantity
        self.positionQuantity = positionQuantity
        self.timestamp = timestamp
    }
}
