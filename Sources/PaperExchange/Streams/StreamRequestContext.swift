import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of the exchange's websocket router: Hummingbird's core context, the websocket
/// handler slot, and the connection's channel (closed when a client reads too slowly).
struct StreamRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<StreamRequestContext>
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.channel = source.channel
    }
}
