import DequeModule
import Synchronization

/// One subscriber's bounded queue of events. The publisher appends (dropping the oldest when full and
/// counting it); the subscriber takes everything queued in one go, and sleeps only when nothing is.
/// Taking in batches means a busy subscriber costs the publisher one append per event, not one wake-up.
final class SubscriberBuffer: Sendable {
    private struct State {
        var events: Deque<Event>
        var dropped: UInt64 = 0
        var waiter: UnsafeContinuation<[Event], Never>?
        var isFinished = false
    }

    let capacity: Int
    private let state: Mutex<State>
    /// Called once when the reading task is cancelled, so the bus forgets this subscriber.
    private let onCancel: @Sendable () -> Void

    init(capacity: Int, onCancel: @escaping @Sendable () -> Void) {
        self.capacity = capacity
        self.state = Mutex(State(events: Deque(minimumCapacity: min(capacity, 4096))))
        self.onCancel = onCancel
    }

    var dropped: UInt64 { state.withLock { $0.dropped } }

    /// Publisher side: queue `event`, or hand it straight to a waiting subscriber.
    func push(_ event: Event) {
        let waiter: UnsafeContinuation<[Event], Never>? = state.withLock { state in
            guard !state.isFinished else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            if state.events.count == capacity {
                state.events.removeFirst()
                state.dropped &+= 1
            }
            state.events.append(event)
            return nil
        }
        waiter?.resume(returning: [event])
    }

    /// Ends the subscription: the subscriber receives what is queued, then the end.
    func finish() {
        let waiter: UnsafeContinuation<[Event], Never>? = state.withLock { state in
            state.isFinished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: [])
    }

    /// Subscriber side: everything queued, waiting if nothing is; an empty batch means the end.
    func take() async -> [Event] {
        if let batch = takeQueued() { return batch }
        return await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<[Event], Never>) in
                let batch: [Event]? = state.withLock { state in
                    if let batch = Self.drain(&state) { return batch }
                    state.waiter = continuation
                    return nil
                }
                if let batch { continuation.resume(returning: batch) }
            }
        } onCancel: {
            finish()
            onCancel()
        }
    }

    private func takeQueued() -> [Event]? {
        state.withLock { Self.drain(&$0) }
    }

    /// The queued events, or `[]` when finished and empty, or nil when the caller must wait. (A task
    /// cancelled before it waits has its cancellation handler run first, which finishes the buffer.)
    private static func drain(_ state: inout State) -> [Event]? {
        if !state.events.isEmpty {
            let batch = Array(state.events)
            state.events.removeAll(keepingCapacity: true)
            return batch
        }
        if state.isFinished { return [] }
        return nil
    }
}
