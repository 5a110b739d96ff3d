import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import PaperExchange
import Synchronization
import Testing

/// A websocket client for one of the exchange's streams, driven step by step by a test: `send` a message,
/// `next` waits for the next one the exchange sends (nil once the connection is closed). A watchdog closes
/// the connection after `deadline`, so a test that waits for a message that never comes fails instead of
/// hanging.
struct StreamProbe {
    enum Received: Sendable {
        case text(String)
        case binary([UInt8])

        var bytes: [UInt8] {
            switch self {
            case .text(let text): Array(text.utf8)
            case .binary(let bytes): bytes
            }
        }

        var isBinary: Bool {
            if case .binary = self { return true }
            return false
        }
    }

    private let outgoing: AsyncStream<WebSocketOutboundWriter.OutboundFrame>.Continuation
    private var iterator: AsyncStream<Received>.Iterator
    private let task: Task<Void, Never>
    private let closeFrame: CloseFrameBox

    /// Connects to `path` on the exchange at `port`.
    init(port: Int, path: String, headers: HTTPFields = [:], deadline: Duration = .seconds(20)) {
        let (outgoingStream, outgoing) = AsyncStream.makeStream(of: WebSocketOutboundWriter.OutboundFrame.self)
        let (received, receiver) = AsyncStream.makeStream(of: Received.self)
        let closeFrame = CloseFrameBox()
        let url = "ws://127.0.0.1:\(port)\(path)"
        let handler: WebSocketDataHandler<WebSocketClient.Context> = { inbound, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await frame in outgoingStream { try await outbound.write(frame) }
                }
                for try await message in inbound.messages(maxSize: 1 << 22) {
                    switch message {
                    case .text(let text): receiver.yield(.text(text))
                    case .binary(let buffer): receiver.yield(.binary(Array(buffer.readableBytesView)))
                    }
                }
                group.cancelAll()
            }
        }
        self.task = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    let client = WebSocketClient(
                        url: url,
                        configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 20, additionalHeaders: headers, autoPing: .disabled),
                        logger: Logger(label: "stream-probe") { _ in SwiftLogNoOpLogHandler() }, handler: handler)
                    let frame = try? await client.run()
                    closeFrame.value.withLock { $0 = frame ?? nil }
                }
                group.addTask { try? await Task.sleep(for: deadline) }
                await group.next()
                group.cancelAll()
            }
            receiver.finish()
            outgoing.finish()
        }
        self.outgoing = outgoing
        self.iterator = received.makeAsyncIterator()
        self.closeFrame = closeFrame
    }

    func send(text: String) {
        outgoing.yield(.text(text))
    }

    func send(binary bytes: [UInt8]) {
        outgoing.yield(.binary(ByteBuffer(bytes: bytes)))
    }

    /// The next message, or nil once the connection is closed.
    mutating func next() async -> Received? {
        await iterator.next()
    }

    /// The next message as JSON (text or binary frame); a failed expectation when there is none.
    mutating func nextJSON(sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let message = try #require(await next(), "the stream closed", sourceLocation: sourceLocation)
        return try JSONValue(parsing: message.bytes)
    }

    /// The next message as MessagePack, converted to JSON.
    mutating func nextMessagePack(sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let message = try #require(await next(), "the stream closed", sourceLocation: sourceLocation)
        return try JSONValue(messagePack: try MessagePackValue(unpacking: message.bytes))
    }

    /// Waits until the exchange closes the connection, skipping anything still queued; the close code.
    mutating func closed() async -> WebSocketErrorCode? {
        while await next() != nil {}
        await task.value
        return closeFrame.value.withLock { $0?.closeCode }
    }

    func close() async {
        outgoing.finish()
        task.cancel()
        await task.value
    }
}

/// How the exchange closed the connection, written by the client's task.
private final class CloseFrameBox: Sendable {
    let value = Mutex<WebSocketCloseFrame?>(nil)
}
