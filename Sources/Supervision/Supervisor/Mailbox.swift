import Synchronization

/// A single-consumer queue of messages for a loop that also waits on other things (the supervisor's task
/// group): `send` never waits; `next()` returns the oldest message, waiting for one, or nil once the
/// waiting task is cancelled. Only one task may wait at a time.
///
/// Why not an `AsyncStream` or async-algorithms' `AsyncChannel`: the supervisor waits for its next
/// message in a child task that it cancels whenever a service ends first, many times over its life, and a
/// cancelled `next()` ends either of them for good (later messages, such as the operator's revive, would
/// be lost). Here a cancelled wait returns nil and the queue stays open for the next one.
final class Mailbox<Message: Sendable>: Sendable {
    private struct State {
        var queue: [Message] = []
        var waiter: CheckedContinuation<Message?, Never>?
    }

    private let state = Mutex(State())

    func send(_ message: Message) {
        let waiter = state.withLock { state -> CheckedContinuation<Message?, Never>? in
            guard let waiter = state.waiter else {
                state.queue.append(message)
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: message)
    }

    func next() async -> Message? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Message?, Never>) in
                let ready: Message?? = state.withLock { state in
                    if !state.queue.isEmpty { return .some(state.queue.removeFirst()) }
                    if Task.isCancelled { return .some(nil) }
                    precondition(state.waiter == nil, "one waiter at a time")
                    state.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
