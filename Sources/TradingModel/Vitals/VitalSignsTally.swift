import Foundation
import Primitives

/// The part of the vital signs that the bus tells: the account, the positions at their latest prices,
/// the last quote and reconciliation, and the open orders. Pure: folds events, then makes `VitalSigns`
/// with the readings that are not events (the heartbeat, the realised PnL, the call window).
public struct VitalSignsTally: Hashable, Sendable {
    /// What is read from elsewhere when the vital signs are made.
    public struct Readings: Hashable, Sendable {
        public var realizedToday: Decimal
        public var realizedTotal: Decimal
        public var heartbeat: Timestamp?
        public var lastFlowAlert: Timestamp?
        public var apis: [APIVitals]

        public init(realizedToday: Decimal = 0, realizedTotal: Decimal = 0, heartbeat: Timestamp? = nil, lastFlowAlert: Timestamp? = nil, apis: [APIVitals] = []) {
            self.realizedToday = realizedToday
            self.realizedTotal = realizedTotal
            self.heartbeat = heartbeat
            self.lastFlowAlert = lastFlowAlert
            self.apis = apis
        }
    }

    public var account: AccountSnapshot?
    public var positions: [Symbol: Position] = [:]
    public var prices: [Symbol: Decimal] = [:]
    public var lastQuote: Timestamp?
    public var lastReconciliation: Timestamp?
    /// By client order id.
    public var openOrders: [String: OpenOrder] = [:]
    /// At most this many open orders are kept (the oldest go first): a bound, never reached in practice.
    public static let openOrderLimit = 500

    public init() {}

    public mutating func fold(_ event: Event) {
        let time = event.timestamp
        switch event.kind {
        case .account(let account):
            self.account = account
        case .positionOpened(let position), .positionChanged(let position):
            positions[position.symbol] = position
        case .positionClosed(let close):
            positions[close.symbol] = nil
            prices[close.symbol] = nil
        case .quotes(let quotes):
            for quote in quotes {
                let price = quote.bid > 0 && quote.ask > 0 ? quote.mid : quote.bid
                if price > 0 { prices[quote.symbol] = price }
            }
            if !quotes.isEmpty { lastQuote = max(lastQuote ?? time, time) }
        case .reconciliation(let report):
            lastReconciliation = time
            for id in report.droppedIntents { openOrders[id] = nil }
        case .orderIntent(let intent):
            openOrders[intent.clientOrderID] = OpenOrder(
                clientOrderID: intent.clientOrderID, symbol: intent.symbol, side: intent.side, quantity: intent.quantity,
                limitPrice: intent.limitPrice, status: .pending, submittedAt: intent.createdAt)
            trimOpenOrders()
        case .orderSubmitted(let submission):
            if var order = openOrders[submission.clientOrderID] {
                order.status = .submitted
                openOrders[submission.clientOrderID] = order
            } else {
                openOrders[submission.clientOrderID] = OpenOrder(
                    clientOrderID: submission.clientOrderID, symbol: submission.symbol, side: submission.side, quantity: submission.quantity,
                    limitPrice: nil, status: .submitted, submittedAt: time)
                trimOpenOrders()
            }
        case .orderFilled(let fill):
            if fill.isComplete {
                openOrders[fill.clientOrderID] = nil
            } else if var order = openOrders[fill.clientOrderID] {
                order.status = .partiallyFilled
                openOrders[fill.clientOrderID] = order
            }
        case .orderRejected(let rejection):
            openOrders[rejection.clientOrderID] = nil
        default:
            break
        }
    }

    private mutating func trimOpenOrders() {
        guard openOrders.count > Self.openOrderLimit else { return }
        let oldest = openOrders.values.sorted { $0.submittedAt < $1.submittedAt }.prefix(openOrders.count - Self.openOrderLimit)
        for order in oldest { openOrders[order.clientOrderID] = nil }
    }

    /// The vital signs now: the folded figures with `readings`; `exposureLimit` is a fraction of equity.
    public func vitals(readings: Readings, exposureLimit: Decimal) -> VitalSigns {
        var unrealized: Decimal = 0
        var exposure: Decimal = 0
        for position in positions.values {
            let price = prices[position.symbol] ?? position.averageEntryPrice
            unrealized += (price - position.averageEntryPrice) * position.quantity
            exposure += abs(position.quantity) * price
        }
        let poll = readings.apis.first { $0.api == "unusual-whales" }?.lastSuccess
        let quoted = readings.apis.first { $0.api == "alpaca-data" }?.lastSuccess
        let lastQuote = [self.lastQuote, quoted].compactMap { $0 }.max()
        let orders = openOrders.values.sorted { ($0.submittedAt, $0.clientOrderID) < ($1.submittedAt, $1.clientOrderID) }
        return VitalSigns(
            equity: account?.equity, cash: account?.cash, buyingPower: account?.buyingPower, realizedToday: readings.realizedToday,
            realizedTotal: readings.realizedTotal, unrealized: unrealized, exposure: exposure, exposureLimit: exposureLimit,
            lastFlowAlert: readings.lastFlowAlert, lastPoll: poll, lastQuote: lastQuote, heartbeat: readings.heartbeat,
            lastReconciliation: lastReconciliation, apis: readings.apis, openOrders: orders)
    }
}
