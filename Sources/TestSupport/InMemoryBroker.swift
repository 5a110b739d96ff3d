import Foundation
import Primitives
import Synchronization
import TradingModel

/// A broker held in memory: tests set its account, positions and orders, or make it unreachable, and
/// read back which calls it received.
public final class InMemoryBroker: Broker {
    /// What every call throws while the broker is unreachable (NETWORK), or answers with another class
    /// of failure (`failWith`).
    public struct Unreachable: ClassifiedError {
        public var errorClass: APIErrorClass = .network
        public var description: String {
            switch errorClass {
            case .network: "NETWORK in-memory broker: connection refused"
            case .auth: "AUTH_ERROR in-memory broker (HTTP 403): forbidden."
            case .rateLimit: "RATE_LIMIT in-memory broker (HTTP 429): too many requests"
            case .schema: "SCHEMA_ERROR in-memory broker: account.equity missing"
            case .unknown: "UNKNOWN in-memory broker: teapot"
            }
        }
    }

    private struct State {
        var account: AccountSnapshot
        var positions: [BrokerPosition]
        var orders: [BrokerOrder]
        var unreachable = false
        var failure: APIErrorClass = .network
        var calls: [String] = []
    }

    private let state: Mutex<State>

    public init(
        account: AccountSnapshot = AccountSnapshot(equity: 100_000, cash: 100_000, buyingPower: 200_000),
        positions: [BrokerPosition] = [], orders: [BrokerOrder] = []
    ) {
        self.state = Mutex(State(account: account, positions: positions, orders: orders))
    }

    public func setPositions(_ positions: [BrokerPosition]) {
        state.withLock { $0.positions = positions }
    }

    /// Every order the broker knows, open or done.
    public func setOrders(_ orders: [BrokerOrder]) {
        state.withLock { $0.orders = orders }
    }

    public func setUnreachable(_ unreachable: Bool) {
        state.withLock { $0.unreachable = unreachable }
    }

    /// Every call fails with `errorClass` (nil: answers again).
    public func failWith(_ errorClass: APIErrorClass?) {
        state.withLock { state in
            state.unreachable = errorClass != nil
            state.failure = errorClass ?? .network
        }
    }

    /// The calls received, in order: `account`, `positions`, `openOrders`, `order(<id>)`.
    public var calls: [String] { state.withLock { $0.calls } }

    public func account() async throws -> AccountSnapshot {
        try call("account") { $0.account }
    }

    public func positions() async throws -> [BrokerPosition] {
        try call("positions") { $0.positions }
    }

    public func openOrders() async throws -> [BrokerOrder] {
        try call("openOrders") { $0.orders.filter(\.status.isOpen) }
    }

    public func order(clientOrderID: String) async throws -> BrokerOrder? {
        try call("order(\(clientOrderID))") { $0.orders.first { $0.clientOrderID == clientOrderID } }
    }

    /// Every order that has ended, newest fill first (a test sets `filledAt`; `after` is not applied: the
    /// test chooses what the broker remembers).
    public func closedOrders(after: Timestamp) async throws -> [BrokerOrder] {
        try call("closedOrders") { state in
            state.orders.filter { !$0.status.isOpen }.sorted { ($0.filledAt ?? after) > ($1.filledAt ?? after) }
        }
    }

    private func call<T: Sendable>(_ name: String, _ answer: (State) -> T) throws -> T {
        try state.withLock { state in
            state.calls.append(name)
            if state.unreachable { throw Unreachable(errorClass: state.failure) }
            return answer(state)
        }
    }
}
