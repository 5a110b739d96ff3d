import Foundation
@testable import PaperExchange
import Primitives
import Synchronization
import Testing

/// The streams' fan-out: a slow reader is given up on, the others are not held back.
struct StreamHubTests {
    private static func events(_ count: Int) throws -> [OrderEvent] {
        var book = ExchangeBook(configuration: .init(seed: 5), createdAt: Harness.start)
        let before = book
        for index in 0..<count {
            _ = try book.submit(
                OrderRequest(json: try JSONValue(parsing: #"{"symbol":"AAPL","qty":"1","side":"buy","type":"limit","limit_price":"1","time_in_force":"gtc","client_order_id":"hub-\#(index)"}"#)),
                now: Harness.start)
        }
        return OrderEvent.changes(from: before, to: book)
    }

    /// A connection whose queue is full is given up on once (error 407 sent by the overflow action), while
    /// a connection that keeps up receives every event and the publisher never waits.
    @Test func slowReaderOverflowsAlone() async throws {
        let hub = StreamHub(limits: StreamLimits(outgoingMessages: 2))
        let slow = Outbox(capacity: 2)
        let overflows = Atomic<Int>(0)
        slow.onOverflow { overflows.add(1, ordering: .relaxed) }
        let fast = Outbox(capacity: 100)
        let slowID = try #require(hub.register(slow, encoding: .jsonBinary))
        let fastID = try #require(hub.register(fast, encoding: .jsonBinary))
        hub.listen(slowID, tradeUpdates: true)
        hub.listen(fastID, tradeUpdates: true)

        hub.publish(try Self.events(5))
        #expect(overflows.load(ordering: .relaxed) == 1)
        #expect(slow.hasOverflowed)
        #expect(!slow.send(.text("more")))
        fast.finish()
        var received = 0
        var iterator = fast.frames.makeAsyncIterator()
        while await iterator.next() != nil { received += 1 }
        #expect(received == 5)
    }

    /// Only the connections that listen get order events, and nothing is sent before they do.
    @Test func onlyListenersReceiveEvents() async throws {
        let hub = StreamHub(limits: .standard)
        let outbox = Outbox(capacity: 10)
        let id = try #require(hub.register(outbox, encoding: .jsonText))
        #expect(!hub.wantsOrderEvents)
        hub.publish(try Self.events(1))
        hub.listen(id, tradeUpdates: true)
        #expect(hub.wantsOrderEvents)
        hub.publish(try Self.events(1))
        outbox.finish()
        var iterator = outbox.frames.makeAsyncIterator()
        var frames: [Outbox.Frame] = []
        while let frame = await iterator.next() { frames.append(frame) }
        #expect(frames.count == 1)
        hub.remove(id)
        #expect(!hub.wantsOrderEvents)
    }
}
