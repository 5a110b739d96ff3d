import Hummingbird
import NIOCore

/// The request context of the exchange's router: Hummingbird's core context plus the connection's
/// channel, which the connection-reset faults close.
struct ExchangeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
