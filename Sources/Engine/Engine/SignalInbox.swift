import DequeModule
import Strategies
import Synchronization

/// Flow signals waiting for the engine: the flow feed puts, the engine takes on its next tick.
/// Bounded (oldest dropped, counted): a backlog of stale signals is worth less than fresh ones.
public final class SignalInbox: Sendable {
    private struct State {
        var signals = Deque<FlowSignal>()
        var dropped = 0
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 500) {
        self.capacity = capacity
    }

    public func put(_ signals: [FlowSignal]) {
        state.withLock { state in
            for signal in signals {
                if state.signals.count == capacity {
                    state.signals.removeFirst()
                    state.dropped += 1
                }
                state.signals.append(signal)
            }
        }
    }

    /// Everything waiting, oldest first.
    public func takeAll() -> [FlowSignal] {
        state.withLock { state in
            defer { state.signals.removeAll() }
            return Array(state.signals)
        }
    }

    public var dropped: Int { state.withLock { $0.dropped } }
}
