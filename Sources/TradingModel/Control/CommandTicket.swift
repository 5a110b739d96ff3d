import Synchronization

/// Where one command's result arrives: given at once by `CommandQueue.enqueue` (with the command's id,
/// its place in the arrival order), fulfilled once when the command has been carried out.
public final class CommandTicket: Sendable {
    private struct State: Sendable {
        var result: CommandResult?
        var waiters: [CheckedContinuation<CommandResult, Never>] = []
    }

    /// The command's id (0 for a ticket answered outside the queue).
    public let id: UInt64
    private let state: Mutex<State>

    /// A ticket whose result is still to come.
    public init(id: UInt64) {
        self.id = id
        self.state = Mutex(State())
    }

    /// A ticket already answered.
    public init(answered result: CommandResult) {
        self.id = result.id
        self.state = Mutex(State(result: result))
    }

    /// Gives the result (the first one only counts) to everyone waiting for it, now and later.
    public func fulfil(_ result: CommandResult) {
        let waiters: [CheckedContinuation<CommandResult, Never>] = state.withLock { state in
            guard state.result == nil else { return [] }
            state.result = result
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: result) }
    }

    /// The result, once the command has been carried out.
    public var result: CommandResult {
        get async {
            await withCheckedContinuation { continuation in
                let ready: CommandResult? = state.withLock { state in
                    if let result = state.result { return result }
                    state.waiters.append(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
