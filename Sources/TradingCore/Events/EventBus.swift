import Synchronization

/// In-memory fan-out of `Event`s to any number of subscribers.
///
/// `publish` never blocks and never waits for a subscriber: each subscriber has its own bounded buffer
/// that keeps the newest events, and a counter of the events it lost. Persistence never goes through the
/// bus; it is for observers only.
public final class EventBus: Sendable {
    private struct Subscriber {
        let id: UInt64
        let name: String
        let continuation: AsyncStream<Event>.Continuation
        var dropped: UInt64 = 0
    }

    private struct State {
        var nextSequence: UInt64 = 1
        var nextSubscriberID: UInt64 = 1
        var subscribers: [Subscriber] = []
        var publishedCount: UInt64 = 0
        var isFinished = false
    }

    private let clock: any WallClock
    private let state = Mutex(State())

    public init(clock: any WallClock = SystemClock()) {
        self.clock = clock
    }

    /// Stamps `kind` with the next sequence number and the clock's time, and hands it to every subscriber.
    @discardableResult
    public func publish(_ kind: EventKind) -> Event {
        state.withLock { state in
            let event = Event(sequence: state.nextSequence, timestamp: clock.now, kind: kind)
            guard !state.isFinished else { return event }
            state.nextSequence &+= 1
            state.publishedCount &+= 1
            for index in state.subscribers.indices {
                switch state.subscribers[index].continuation.yield(event) {
                case .enqueued:
                    break
                case .dropped:
                    state.subscribers[index].dropped &+= 1
                case .terminated:
                    // Removed by its termination handler, which may run just after us.
                    break
                @unknown default:
                    break
                }
            }
            return event
        }
    }

    /// A new subscriber that receives every event published from now on, keeping at most `bufferSize`
    /// unread events (the newest). Dropping the returned subscription unsubscribes.
    public func subscribe(name: String, bufferSize: Int = 1024) -> EventSubscription {
        precondition(bufferSize > 0, "an event subscriber needs a buffer of at least one event")
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        let id: UInt64? = state.withLock { state in
            guard !state.isFinished else { return nil }
            let id = state.nextSubscriberID
            state.nextSubscriberID += 1
            state.subscribers.append(Subscriber(id: id, name: name, continuation: continuation))
            return id
        }
        guard let id else {
            continuation.finish()
            return EventSubscription(id: 0, name: name, stream: stream, bus: self)
        }
        continuation.onTermination = { [weak self] _ in
            self?.remove(id)
        }
        return EventSubscription(id: id, name: name, stream: stream, bus: self)
    }

    /// Statistics of every live subscriber, for metrics and the console.
    public var subscribers: [SubscriberStatistics] {
        state.withLock { state in
            state.subscribers.map { SubscriberStatistics(id: $0.id, name: $0.name, dropped: $0.dropped) }
        }
    }

    /// How many events have been published since the bus was made.
    public var publishedCount: UInt64 {
        state.withLock { $0.publishedCount }
    }

    /// Ends every subscription (their loops finish after the events already buffered) and refuses new
    /// events. Used at shutdown.
    public func finish() {
        let continuations = state.withLock { state in
            state.isFinished = true
            defer { state.subscribers.removeAll() }
            return state.subscribers.map(\.continuation)
        }
        // Outside the lock: finishing runs the termination handlers, which take it.
        for continuation in continuations { continuation.finish() }
    }

    func droppedCount(of id: UInt64) -> UInt64? {
        state.withLock { state in state.subscribers.first { $0.id == id }?.dropped }
    }

    private func remove(_ id: UInt64) {
        state.withLock { state in state.subscribers.removeAll { $0.id == id } }
    }
}

public struct SubscriberStatistics: Hashable, Sendable {
    public var id: UInt64
    public var name: String
    public var dropped: UInt64
}

/// The events one subscriber receives, in publication order. Iterate it; drop it to unsubscribe.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = Event

    public let id: UInt64
    public let name: String
    private let stream: AsyncStream<Event>
    private let bus: EventBus

    init(id: UInt64, name: String, stream: AsyncStream<Event>, bus: EventBus) {
        self.id = id
        self.name = name
        self.stream = stream
        self.bus = bus
    }

    /// Events this subscriber lost because its buffer was full (exact), or `nil` once it is gone.
    public var droppedCount: UInt64? { bus.droppedCount(of: id) }

    public func makeAsyncIterator() -> AsyncStream<Event>.AsyncIterator {
        stream.makeAsyncIterator()
    }
}
