import HTTPServing
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// The exchange's connections: HTTP/1 with the upgrade to Alpaca's streams, guarded from their first
/// byte as plain HTTP/1 connections are.
///
/// hummingbird-websocket's upgrade channel adds the idle-timeout handler (`HTTPConnectionStateHandler`) and
/// the extra handlers only once a whole request head has been read and the upgrade declined: until then
/// nothing times a connection out. A connection opened and left idle, or one trickling its head a byte at a
/// time (slowloris), was never closed, counted against no limit, and held a graceful stop until it left.
/// So, at setup, before any byte is read:
/// - the roster tracker goes first in the pipeline, so the connection counts against `maxConnections`
///   from the start (a stream leaves the roster once upgraded: streams have their own limit, and a quiet
///   stream must not be the one a flood of idle connections pushes out);
/// - `RequestHeadDeadline` goes after the HTTP decoder: it closes the connection unless a complete request
///   head arrives within the idle timeout, or as soon as a graceful stop asks connections to quiesce. It
///   leaves at the first head; from there the idle timeout of plain HTTP/1 or, after an upgrade, the
///   stream's own ping/pong keep watch.
struct GuardedUpgradeChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    /// The roster tracker's name in the pipeline, by which a stream takes it out.
    static let rosterHandlerName = "bulwark.connection-roster"

    let upgrade: HTTP1WebSocketUpgradeChannel
    let roster: ConnectionRoster
    /// How long a new connection has to send a complete request head.
    let headTimeout: TimeAmount

    /// The server of `Application(server:)`: plain HTTP/1 requests go to the application's router, websocket
    /// upgrades to `webSocketRouter`.
    static func builder(
        webSocketRouter: Router<StreamRequestContext>, configuration: HTTP1WebSocketUpgradeChannel.Configuration, roster: ConnectionRoster
    ) -> HTTPServerBuilder {
        let webSocketResponder = webSocketRouter.buildResponder()
        let headTimeout = configuration.http1.idleTimeout ?? .seconds(10)
        return HTTPServerBuilder { responder in
            GuardedUpgradeChannel(
                upgrade: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: configuration),
                roster: roster, headTimeout: headTimeout)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let roster = self.roster
        let headTimeout = self.headTimeout
        return upgrade.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(roster.handler(), name: Self.rosterHandlerName, position: .first)
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(RequestHeadDeadline(timeout: headTimeout), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await upgrade.handle(value: value, logger: logger)
    }

    /// Takes an upgraded connection off the roster (see the type's notes).
    static func becameStream(_ channel: any Channel) {
        channel.pipeline.removeHandler(name: rosterHandlerName, promise: nil)
    }
}

/// Closes its connection unless a complete request head arrives within `timeout` of opening, or when a
/// graceful stop asks connections to quiesce before one has; leaves the pipeline at the first head.
final class RequestHeadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var headArrived = false

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !headArrived, case .head = Self.unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        headArrived = true
        deadline?.cancel()
        deadline = nil
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, !headArrived {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard deadline == nil, !headArrived else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension RequestHeadDeadline: Sendable {}
