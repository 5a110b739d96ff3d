import Logging
import Primitives
import Synchronization
import TradingModel

/// What the trading stream has pushed about orders, and whether it may be trusted: the order follower
/// learns fills from here instead of asking the broker, while the stream is `live`.
///
/// The self-healing pattern applied to the stream: a connection that ends (dropped, silent past its
/// pings, refused) is DETECTED by its client and reported here — `trade-stream` DEGRADED with the reason,
/// and the follower asks the broker about every order over REST again. Once a new connection listens,
/// every order change is pushed from then on, but one may have happened in the gap: the follower's next
/// round asks the broker about every order in flight (a REST reconciliation), and only when that round
/// got an answer for each is the stream trusted again and `trade-stream` OK.
public final class OrderUpdates: OrderUpdateSink {
    /// Where the stream stands, as the follower sees it at the start of a round.
    public enum Phase: Hashable, Sendable {
        /// Not connected: orders are followed over REST.
        case down(String)
        /// Listening again since `epoch`; trusted once a REST round has closed the gap.
        case reconciling(epoch: Int)
        /// Trusted: orders are followed from the stream, without asking the broker.
        case live
    }

    private struct State {
        var phase: Phase = .down("the trading stream is not connected yet")
        var epoch = 0
        /// The newest pushed state of each order, by broker order id; dropped once the order is settled.
        var latest: [String: BrokerOrder] = [:]
    }

    /// Kept at most this many pushed orders; past it, the ended ones are forgotten.
    static let capacity = 1_000

    private let state = Mutex(State())
    private let health: (any HealthReporter)?
    private let logger: Logger

    public init(health: (any HealthReporter)?, logger: Logger) {
        self.health = health
        self.logger = logger
    }

    public var phase: Phase { state.withLock { $0.phase } }

    /// Whether orders are followed from the stream now.
    public var isLive: Bool { phase == .live }

    public func streamListening() {
        let epoch = state.withLock { state in
            state.epoch += 1
            state.phase = .reconciling(epoch: state.epoch)
            // What was pushed before the gap may be stale: the REST round is the truth, then only what
            // this connection pushes.
            state.latest = [:]
            return state.epoch
        }
        logger.notice("trading stream listening; the orders in flight are reconciled over REST before it is trusted", metadata: ["epoch": "\(epoch)"])
        health?.report(
            .tradeStream, from: .service, status: .degraded,
            detail: "stream reconnected; reconciling the orders in flight over REST before trusting it")
    }

    public func streamDown(reason: String) {
        let wasDown: Bool = state.withLock { state in
            if case .down(let old) = state.phase, old == reason { return true }
            state.phase = .down(reason)
            return false
        }
        guard !wasDown else { return }
        logger.warning("trading stream down; orders are followed over REST", metadata: ["reason": "\(reason)"])
        health?.report(.tradeStream, from: .service, status: .degraded, detail: "stream down: \(reason)")
    }

    public func received(_ order: BrokerOrder) {
        state.withLock { state in
            state.latest[order.brokerOrderID] = order
            if state.latest.count > Self.capacity { state.latest = state.latest.filter { $0.value.status.isOpen } }
        }
    }

    /// The newest pushed state of the order, if any.
    public func latest(_ brokerOrderID: String) -> BrokerOrder? { state.withLock { $0.latest[brokerOrderID] } }

    /// The order is settled: what was pushed about it is no longer needed.
    public func forget(_ brokerOrderID: String) { _ = state.withLock { $0.latest.removeValue(forKey: brokerOrderID) } }

    /// A follower round that started in `phase` asked the broker about every order in flight and got an
    /// answer for each (`complete`): if the stream is still listening since then, the gap is closed and
    /// the stream is trusted.
    public func roundEnded(startedIn phase: Phase, complete: Bool) {
        guard complete, case .reconciling(let epoch) = phase else { return }
        let trusted = state.withLock { state in
            guard state.phase == .reconciling(epoch: epoch) else { return false }
            state.phase = .live
            return true
        }
        guard trusted else { return }
        logger.notice("orders in flight reconciled over REST; following orders from the trading stream", metadata: ["epoch": "\(epoch)"])
        health?.report(.tradeStream, from: .service, status: .ok)
    }
}
