import NIOCore
import Synchronization

/// A server's open connections, by when each last sent something. When one more than the limit is open,
/// the one quiet the longest is closed: a flood of idle connections pushes out its own members, never a
/// busy client — the trading engine at the exchange, an operator's health check at the dashboard — which a
/// first-come limit would make wait in the listen backlog behind the flood.
public final class ConnectionRoster: Sendable {
    private struct Entry {
        var channel: any Channel
        var lastActive: ContinuousClock.Instant
    }

    private let limit: Int
    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// The handler to put in each connection's pipeline.
    public func handler() -> Tracker { Tracker(roster: self) }

    public var count: Int { entries.withLock { $0.count } }

    fileprivate func opened(_ id: ObjectIdentifier, _ channel: any Channel) {
        let evicted: (any Channel)? = entries.withLock { entries in
            entries[id] = Entry(channel: channel, lastActive: .now)
            guard entries.count > limit else { return nil }
            guard let quietest = entries.filter({ $0.key != id }).min(by: { $0.value.lastActive < $1.value.lastActive }) else { return nil }
            entries[quietest.key] = nil
            return quietest.value.channel
        }
        evicted?.close(promise: nil)
    }

    fileprivate func active(_ id: ObjectIdentifier) {
        entries.withLock { $0[id]?.lastActive = .now }
    }

    fileprivate func closed(_ id: ObjectIdentifier) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    /// Registers its connection on the roster, marks it active on every read, and leaves when it closes.
    public final class Tracker: ChannelDuplexHandler, RemovableChannelHandler {
        public typealias InboundIn = NIOAny
        public typealias OutboundIn = NIOAny

        private let roster: ConnectionRoster
        private var registered = false

        init(roster: ConnectionRoster) {
            self.roster = roster
        }

        public func handlerAdded(context: ChannelHandlerContext) {
            guard !registered else { return }
            registered = true
            roster.opened(ObjectIdentifier(context.channel), context.channel)
        }

        public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            roster.active(ObjectIdentifier(context.channel))
            context.fireChannelRead(data)
        }

        public func channelInactive(context: ChannelHandlerContext) {
            roster.closed(ObjectIdentifier(context.channel))
            context.fireChannelInactive()
        }

        public func handlerRemoved(context: ChannelHandlerContext) {
            roster.closed(ObjectIdentifier(context.channel))
        }
    }
}
