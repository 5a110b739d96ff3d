import Synchronization

/// The messages waiting to go to one stream connection, at most `capacity` of them. Publishers never wait:
/// `send` queues or, when the queue is full, gives up on the connection (the client reads too slowly) and
/// calls the overflow action once, which tells the client and closes it.
final class Outbox: Sendable {
    enum Frame: Sendable, Equatable {
        case text(String)
        case binary([UInt8])
    }

    let frames: AsyncStream<Frame>
    private let continuation: AsyncStream<Frame>.Continuation
    private let overflowAction = Mutex<(@Sendable () -> Void)?>(nil)
    private let overflowed = Atomic<Bool>(false)

    init(capacity: Int) {
        (frames, continuation) = AsyncStream.makeStream(of: Frame.self, bufferingPolicy: .bufferingOldest(max(1, capacity)))
    }

    /// What to do when the queue overflows (called once, on the publisher's thread: it must not wait).
    func onOverflow(_ action: @escaping @Sendable () -> Void) {
        overflowAction.withLock { $0 = action }
    }

    /// Whether the connection was given up for reading too slowly.
    var hasOverflowed: Bool { overflowed.load(ordering: .relaxed) }

    /// Queues `frame`; false when it was not (the connection is closing, or just overflowed).
    @discardableResult
    func send(_ frame: Frame) -> Bool {
        guard !hasOverflowed else { return false }
        switch continuation.yield(frame) {
        case .enqueued:
            return true
        case .dropped:
            if !overflowed.exchange(true, ordering: .relaxed) {
                continuation.finish()
                overflowAction.withLock { $0 }?()
            }
            return false
        case .terminated:
            return false
        @unknown default:
            return false
        }
    }

    /// No more frames: the writer sends what is queued, then stops.
    func finish() {
        continuation.finish()
    }
}
