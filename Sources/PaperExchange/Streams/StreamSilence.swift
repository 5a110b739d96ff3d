import NIOCore
import Synchronization

/// The fault "silent streams": while it is on, every stream connection stays open but nothing passes
/// either way — the client's messages and pings are never read (so no pong comes back), and nothing is
/// written to it (no events, no quotes). What a half-dead network path or a hung server looks like to a
/// client, which can tell only by its missed pings.
final class StreamSilence: Sendable {
    private let on = Atomic<Bool>(false)

    var isOn: Bool { on.load(ordering: .relaxed) }

    func set(_ value: Bool) { on.store(value, ordering: .relaxed) }

    /// The handler that silences one connection while the fault is on; first in its pipeline, so it sees
    /// the bytes on the wire.
    func handler() -> Handler { Handler(silence: self) }

    final class Handler: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        typealias OutboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        private let silence: StreamSilence

        init(silence: StreamSilence) {
            self.silence = silence
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !silence.isOn else { return }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            guard !silence.isOn else {
                promise?.succeed(())
                return
            }
            context.write(data, promise: promise)
        }
    }
}

@available(*, unavailable)
extension StreamSilence.Handler: Sendable {}

extension ExchangeServer {
    /// Makes every stream connection, open or to come, silent (see `StreamSilence`) while `on`; a fault,
    /// so only with `faultControls`.
    public func silenceStreams(_ on: Bool) throws(FaultControlsDisabled) {
        guard options.faultControls else { throw FaultControlsDisabled() }
        streams.silence.set(on)
    }
}
