import Primitives

extension ExchangeBook {
    /// Which orders `GET /v2/orders` lists.
    public enum OrderStatusFilter: String, Sendable {
        case open
        case closed
        case all
    }

    public func order(id: String) -> PaperOrder? {
        orders.first { $0.id == id }
    }

    public func order(clientOrderID: String) -> PaperOrder? {
        orders.last { $0.clientOrderID == clientOrderID }
    }

    /// Orders newest first (or oldest first with `ascending`), filtered by status, symbols, side and the
    /// time they were submitted (`after` and `until` both exclusive, as Alpaca's).
    public func orders(
        status: OrderStatusFilter = .open, limit: Int = 50, symbols: Set<Symbol>? = nil, ascending: Bool = false,
        side: OrderSide? = nil, after: Timestamp? = nil, until: Timestamp? = nil
    ) -> [PaperOrder] {
        let matching = orders.filter { order in
            let statusMatches =
                switch status {
                case .open: order.isOpen
                case .closed: !order.isOpen
                case .all: true
                }
            return statusMatches && (symbols?.contains(order.symbol) ?? true) && (side.map { $0 == order.side } ?? true)
                && (after.map { order.submittedAt > $0 } ?? true) && (until.map { order.submittedAt < $0 } ?? true)
        }
        let ordered = ascending ? matching : matching.reversed()
        return Array(ordered.prefix(max(0, limit)))
    }

    /// Flow alerts newest first: for one ticker or all, created after `newerThan`, at most `limit`.
    public func flowAlerts(ticker: Symbol? = nil, newerThan: Timestamp? = nil, limit: Int = 100) -> [FlowAlert] {
        var result: [FlowAlert] = []
        for alert in alerts.reversed() {
            guard result.count < limit else { break }
            if let newerThan, alert.createdAt <= newerThan { continue }
            if let ticker, alert.ticker != ticker { continue }
            result.append(alert)
        }
        return result
    }
}
