import Primitives
import Synchronization

/// In-memory fan-out of `Event`s to any number of subscribers.
///
/// `publish` never blocks and never waits for a subscriber: each subscriber has its own bounded buffer
/// that keeps the newest events, and an exact counter of the events it lost. Persistence never goes
/// through the bus; it is for observers only.
public final class EventBus: Sendable {
    private struct Subscriber {
        let id: UInt64
        let name: String
        let buffer: SubscriberBuffer
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
    /// Holding the bus lock while handing out keeps every subscriber's events in sequence order.
    @discardableResult
    public func publish(_ kind: EventKind) -> Event {
        state.withLock { state in
            let event = Event(sequence: state.nextSequence, timestamp: clock.now, kind: kind)
            guard !state.isFinished else { return event }
            state.nextSequence &+= 1
            state.publishedCount &+= 1
            for subscriber in state.subscribers {
                subscriber.buffer.push(event)
            }
            return event
        }
    }

    /// A new subscriber that receives every event published from now on, keeping at most `bufferSize`
    /// unread events (the newest). Dropping the subscription (and any iterator of it) unsubscribes, and
    /// so does cancelling the task that reads it.
    public func subscribe(name: String, bufferSize: Int = 1024) -> EventSubscription {
        precondition(bufferSize > 0, "an event subscriber needs a buffer of at least one event")
        let id: UInt64 = state.withLock { state in
            defer { state.nextSubscriberID += 1 }
            return state.nextSubscriberID
        }
        let buffer = SubscriberBuffer(capacity: bufferSize) { [weak self] in self?.remove(id) }
        let added = state.withLock { state in
            guard !state.isFinished else { return false }
            state.subscribers.append(Subscriber(id: id, name: name, buffer: buffer))
            return true
        }
        if !added { buffer.finish() }
        return EventSubscription(name: name, handle: SubscriptionHandle(id: id, buffer: buffer, bus: self))
    }

    /// Statistics of every live subscriber, for metrics and the console.
    public var subscribers: [SubscriberStatistics] {
        state.withLock { state in
            state.subscribers.map { SubscriberStatistics(id: $0.id, name: $0.name, dropped: $0.buffer.dropped) }
        }
    }

    /// How many events have been published since the bus was made.
    public var publishedCount: UInt64 {
        state.withLock { $0.publishedCount }
    }

    /// Ends every subscription (each receives what is buffered, then its loop ends) and ignores events
    /// published afterwards. Used at shutdown.
    public func finish() {
        let buffers = state.withLock { state in
            state.isFinished = true
            defer { state.subscribers.removeAll() }
            return state.subscribers.map(\.buffer)
        }
        for buffer in buffers { buffer.finish() }
    }

    func isSubscribed(_ id: UInt64) -> Bool {
        state.withLock { state in state.subscribers.contains { $0.id == id } }
    }

    func remove(_ id: UInt64) {
        let removed: SubscriberBuffer? = state.withLock { state in
            guard let index = state.subscribers.firstIndex(where: { $0.id == id }) else { return nil }
            return state.subscribers.remove(at: index).buffer
        }
        removed?.finish()
    }
}

public struct SubscriberStatistics: Hashable, Sendable {
    public var id: UInt64
    public var name: String
    public var dropped: UInt64
}

/// Keeps a subscription alive; when the last reference goes (the subscription and its iterators), the
/// subscriber is removed from the bus.
final class SubscriptionHandle: Sendable {
    let id: UInt64
    let buffer: SubscriberBuffer
    private weak let bus: EventBus?

    init(id: UInt64, buffer: SubscriberBuffer, bus: EventBus) {
        self.id = id
        self.buffer = buffer
        self.bus = bus
    }

    deinit {
        bus?.remove(id)
    }

    var droppedCount: UInt64? {
        guard let bus, bus.isSubscribed(id) else { return nil }
        return buffer.dropped
    }
}

/// The events one subscriber receives, in publication order. Iterate it; drop it to unsubscribe.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = Event

    public let name: String
    let handle: SubscriptionHandle

    init(name: String, handle: SubscriptionHandle) {
        self.name = name
        self.handle = handle
    }

    public var id: UInt64 { handle.id }

    /// Events this subscriber lost because its buffer was full (exact), or `nil` once it is gone.
    public var droppedCount: UInt64? { handle.droppedCount }

    public func makeAsyncIterator() -> Iterator {
        Iterator(handle: handle)
    }

    public struct Iterator: AsyncIteratorProtocol {
        private let handle: SubscriptionHandle
        private var batch: [Event] = []
        private var index = 0

        init(handle: SubscriptionHandle) {
            self.handle = handle
        }

        public mutating func next() async -> Event? {
            if index == batch.count {
                batch = await handle.buffer.take()
                index = 0
                if batch.isEmpty { return nil }
            }
            defer { index += 1 }
            return batch[index]
        }
    }
}
