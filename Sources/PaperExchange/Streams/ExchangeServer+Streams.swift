import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Primitives

/// The two streams Alpaca serves over websockets, on the exchange's own port: the trading stream
/// (`/stream`, order events) and the market-data stream (`/v2/iex`, `/v2/sip`: quotes, trades and bars).
extension ExchangeServer {
    enum StreamKind: Sendable {
        case trading
        case marketData
    }

    func makeStreamRouter() -> Router<StreamRequestContext> {
        let router = Router(context: StreamRequestContext.self)
        router.ws("/stream") { [self] inbound, outbound, context in
            await serveStream(.trading, encoding: .jsonBinary, inbound: inbound, outbound: outbound, channel: context.requestContext.channel)
        }
        for path in ["/v2/iex", "/v2/sip"] {
            router.ws(RouterPath(path)) { [self] inbound, outbound, context in
                let contentType = context.request.headers[.contentType]?.lowercased() ?? ""
                let encoding: StreamEncoding = contentType.contains("msgpack") ? .messagePack : .jsonText
                await serveStream(.marketData, encoding: encoding, inbound: inbound, outbound: outbound, channel: context.requestContext.channel)
            }
        }
        return router
    }

    /// The websocket settings: frames capped at `maxMessageBytes` (a bigger one closes the connection
    /// with 1009), pings every 30 s.
    var webSocketConfiguration: WebSocketServerConfiguration {
        WebSocketServerConfiguration(maxFrameSize: options.streams.maxMessageBytes, autoPing: .enabled(timePeriod: .seconds(30)))
    }

    /// Serves one stream connection: a writer drains its outbox while this task reads the client's
    /// messages and answers them, until the client leaves, breaks the protocol or reads too slowly.
    private func serveStream(
        _ kind: StreamKind, encoding: StreamEncoding, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel
    ) async {
        GuardedUpgradeChannel.becameStream(channel)
        let silence = streams.silence
        try? await channel.eventLoop.submit { try channel.pipeline.syncOperations.addHandler(silence.handler(), position: .first) }.get()
        let limits = options.streams
        let outbox = Outbox(capacity: limits.outgoingMessages)
        let refusal: @Sendable (StreamError) -> JSONValue = { error in
            kind == .trading ? AlpacaStreamJSON.tradingError(error.message) : .array([AlpacaStreamJSON.error(error)])
        }
        guard let id = streams.register(outbox, encoding: encoding) else {
            // Told, then closed a moment later: closing at once can reach a client before its side of the
            // upgrade is done, and it would never read the error.
            try? await outbound.write(Self.outbound(encoding.frame(refusal(.connectionLimitExceeded))))
            channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
            do { for try await _ in inbound {} } catch {}
            return
        }
        defer { streams.remove(id) }
        let slowFrame = Self.webSocketFrame(encoding.frame(refusal(.slowClient)))
        outbox.onOverflow { [logger] in
            logger.debug("paper exchange: a stream client reads too slowly; closing it")
            channel.writeAndFlush(slowFrame).whenComplete { _ in channel.close(promise: nil) }
            channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await frame in outbox.frames {
                    do { try await outbound.write(Self.outbound(frame)) } catch { break }
                }
            }
            if kind == .marketData {
                outbox.send(encoding.frame(.array([AlpacaStreamJSON.success("connected")])))
                group.addTask { [desk] in
                    // The client has `authTimeout` to authenticate (error 404).
                    try? await desk.clock.sleep(for: limits.authTimeout)
                    if !Task.isCancelled, !self.streams.isAuthenticated(id) {
                        outbox.send(encoding.frame(refusal(.authTimeout)))
                        outbox.finish()
                        channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
                    }
                }
            }
            await readMessages(kind, id: id, encoding: encoding, inbound: inbound, outbox: outbox, refusal: refusal)
            outbox.finish()
            await group.next()
            group.cancelAll()
        }
    }

    private func readMessages(
        _ kind: StreamKind, id: Int, encoding: StreamEncoding, inbound: WebSocketInboundStream, outbox: Outbox,
        refusal: (StreamError) -> JSONValue
    ) async {
        let credentials: @Sendable (String, String) -> Bool = { [options] keyID, secret in
            constantTimeEqual(keyID, options.keyID.exposedValue) && constantTimeEqual(secret, options.secretKey.exposedValue)
        }
        var trading = TradingStreamSession(credentialsAreValid: credentials)
        var market = MarketDataSession(maxSymbols: options.streams.maxSymbols, credentialsAreValid: credentials)
        var messages = inbound.messages(maxSize: options.streams.maxMessageBytes).makeAsyncIterator()
        while !outbox.hasOverflowed {
            let message: WebSocketMessage?
            do {
                message = try await messages.next()
            } catch {
                outbox.send(encoding.frame(refusal(StreamError(code: 400, message: "message too large or malformed"))))
                return
            }
            guard let message else { return }
            let bytes: [UInt8]
            switch message {
            case .text(let text): bytes = Array(text.utf8)
            case .binary(let buffer): bytes = Array(buffer.readableBytesView)
            }
            let replies: [JSONValue]
            let close: Bool
            switch kind {
            case .trading:
                let outcome = trading.receive(bytes)
                streams.listen(id, tradeUpdates: trading.wantsTradeUpdates)
                (replies, close) = (outcome.replies, outcome.close)
            case .marketData:
                let outcome = market.receive(Self.decode(bytes, encoding: encoding))
                streams.authenticate(id, market.authenticated)
                streams.subscribe(id, market: market.subscription)
                (replies, close) = (outcome.replies.isEmpty ? [] : [.array(outcome.replies)], outcome.close)
            }
            for reply in replies { outbox.send(encoding.frame(reply)) }
            if close { return }
        }
    }

    /// A market-data message as JSON: MessagePack when the connection asked for it, else JSON text; nil
    /// when it is neither.
    private static func decode(_ bytes: [UInt8], encoding: StreamEncoding) -> JSONValue? {
        switch encoding {
        case .messagePack:
            guard let value = try? MessagePackValue(unpacking: bytes, maximumDepth: 8) else {
                return try? JSONValue(parsing: bytes, maximumDepth: 8)
            }
            return try? JSONValue(messagePack: value)
        case .jsonText, .jsonBinary:
            return try? JSONValue(parsing: bytes, maximumDepth: 8)
        }
    }

    private static func outbound(_ frame: Outbox.Frame) -> WebSocketOutboundWriter.OutboundFrame {
        switch frame {
        case .text(let text): .text(text)
        case .binary(let bytes): .binary(ByteBuffer(bytes: bytes))
        }
    }

    private static func webSocketFrame(_ frame: Outbox.Frame) -> WebSocketFrame {
        switch frame {
        case .text(let text): WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text))
        case .binary(let bytes): WebSocketFrame(fin: true, opcode: .binary, data: ByteBuffer(bytes: bytes))
        }
    }

    /// Keeps the book moving while any stream connection listens: every quote interval the book is
    /// brought up to the clock (filling resting orders, whose events go out on the trading stream) and
    /// the market-data connections get the new quotes, trades and bars. Sleeps on the injected clock only
    /// while someone listens.
    func runStreamTicker() async {
        let interval = desk.snapshotInterval
        for await _ in streams.activity {
            while streams.isActive, !Task.isCancelled {
                do { try await desk.clock.sleep(for: interval) } catch { return }
                let tick = try? desk.transact { book, _ -> MarketTick in
                    let symbols = streams.wantedSymbols(listed: book.market.symbols)
                    return MarketTick(
                        step: book.market.steps, quotes: symbols.compactMap { book.market.quote($0) },
                        bars: symbols.compactMap { symbol in book.latestMinuteBar(symbol).map { (symbol, $0) } })
                }
                if let tick { streams.publish(tick) }
            }
        }
    }
}
