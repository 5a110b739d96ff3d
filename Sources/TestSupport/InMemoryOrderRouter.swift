import Foundation
import Primitives
import Synchronization
import TradingModel

/// An order router that fills in memory: each order is answered as the test scripts it
/// (fill at a price, rest, refuse, fail), and every call is counted.
public final class InMemoryOrderRouter: OrderRouter {
    public enum Behaviour: Sendable {
        /// Fill completely at this price when first asked about.
        case fill(at: Decimal)
        /// Stay open until canceled.
        case rest
        /// Refuse with this reason.
        case refuse(String)
        /// Throw as a network failure would.
        case fail
    }

    private struct State {
        var behaviour: Behaviour = .fill(at: 100)
        /// Behaviours for single symbols, over `behaviour`.
        var symbolBehaviours: [Symbol: Behaviour] = [:]
        var orders: [String: BrokerOrder] = [:]
        var submitted: [OrderIntent] = []
        var submitAttempts = 0
        var canceled: [String] = []
        var lookups = 0
        var lookupsFail = false
        var marketOpen = true
        var cancelFails = false
        var marketClockFails = false
        var afterSubmit: (@Sendable (OrderIntent) -> Void)?
    }

    public struct Unreachable: Error {}

    private let state = Mutex(State())

    public init() {}

    public func setBehaviour(_ behaviour: Behaviour) { state.withLock { $0.behaviour = behaviour } }
    /// Answers orders for `symbol` this way (over the behaviour for all).
    public func setBehaviour(_ behaviour: Behaviour, for symbol: Symbol) { state.withLock { $0.symbolBehaviours[symbol] = behaviour } }
    public func setMarketOpen(_ open: Bool) { state.withLock { $0.marketOpen = open } }
    /// Makes every `cancel` throw as a network failure would (the order stays as it is).
    public func setCancelFails(_ fails: Bool) { state.withLock { $0.cancelFails = fails } }
    /// Makes every `isMarketOpen` throw as a network failure would.
    public func setMarketClockFails(_ fails: Bool) { state.withLock { $0.marketClockFails = fails } }
    /// Runs `hook` after every accepted submit, as the order reaches the broker (e.g. to halt mid-batch).
    public func afterSubmit(_ hook: @escaping @Sendable (OrderIntent) -> Void) { state.withLock { $0.afterSubmit = hook } }
    /// Knows `order` as if it had been submitted earlier (before a crash, say); answered by the behaviour.
    public func place(_ order: BrokerOrder) { state.withLock { $0.orders[order.brokerOrderID] = order } }
    public var submitted: [OrderIntent] { state.withLock { $0.submitted } }
    /// Every `submit` call, failed ones included.
    public var submitAttempts: Int { state.withLock { $0.submitAttempts } }
    public var canceled: [String] { state.withLock { $0.canceled } }
    /// Makes every `order(brokerOrderID:)` throw as a network failure would.
    public func setLookupsFail(_ fails: Bool) { state.withLock { $0.lookupsFail = fails } }
    /// How many times an order was asked about (`order(brokerOrderID:)`).
    public var lookups: Int { state.withLock { $0.lookups } }

    public func submit(_ intent: OrderIntent) async throws -> BrokerOrder {
        let (order, hook) = try state.withLock { state in
            state.submitAttempts += 1
            switch state.symbolBehaviours[intent.symbol] ?? state.behaviour {
            case .refuse(let reason): throw OrderRefusal(reason: reason)
            case .fail: throw Unreachable()
            case .fill, .rest: break
            }
            state.submitted.append(intent)
            let order = BrokerOrder(
                clientOrderID: intent.clientOrderID, brokerOrderID: "mem-\(state.submitted.count)", symbol: intent.symbol,
                side: intent.side, quantity: intent.quantity, limitPrice: intent.limitPrice, status: .open)
            state.orders[order.brokerOrderID] = order
            return (order, state.afterSubmit)
        }
        hook?(intent)
        return order
    }

    public func order(brokerOrderID: String) async throws -> BrokerOrder {
        try state.withLock { state in
            state.lookups += 1
            if state.lookupsFail { throw Unreachable() }
            guard var order = state.orders[brokerOrderID] else { throw Unreachable() }
            if order.status.isOpen, case .fill(let price) = state.symbolBehaviours[order.symbol] ?? state.behaviour {
                order.status = .filled
                order.filledQuantity = order.quantity
                order.filledAveragePrice = price
                state.orders[brokerOrderID] = order
            }
            return order
        }
    }

    public func cancel(brokerOrderID: String) async throws {
        try state.withLock { state in
            if state.cancelFails { throw Unreachable() }
            state.canceled.append(brokerOrderID)
            state.orders[brokerOrderID]?.status = .canceled
        }
    }

    public func isMarketOpen() async throws -> Bool {
        try state.withLock { state in
            if state.marketClockFails { throw Unreachable() }
            return state.marketOpen
        }
    }
}
