@testable import Benchmarks
import Foundation
@testable import Primitives
import TestSupport
import Testing
@testable import TradingModel

struct EventBusTests {
    private func account(_ equity: Int) -> EventKind {
        .account(AccountSnapshot(equity: Decimal(equity), cash: 0, buyingPower: 0))
    }

    /// Events carry gap-free sequence numbers and the injected clock's time.
    @Test func sequenceAndTimestamp() async {
        let clock = ManualClock()
        let bus = EventBus(clock: clock)
        let subscription = bus.subscribe(name: "test", bufferSize: 10)
        let first = bus.publish(account(1))
        clock.advance(by: .seconds(5))
        let second = bus.publish(account(2))
        #expect(first.sequence == 1)
        #expect(second.sequence == 2)
        #expect(second.timestamp == first.timestamp.advanced(by: .seconds(5)))
        bus.finish()
        var received: [UInt64] = []
        for await event in subscription { received.append(event.sequence) }
        #expect(received == [1, 2])
    }

    /// Each subscriber receives every event in publication order.
    @Test func orderPreservedPerSubscriber() async {
        let bus = EventBus(clock: ManualClock())
        let subscriptions = (0..<3).map { bus.subscribe(name: "s\($0)", bufferSize: 1000) }
        for index in 0..<1000 { bus.publish(account(index)) }
        bus.finish()
        for subscription in subscriptions {
            var sequences: [UInt64] = []
            for await event in subscription { sequences.append(event.sequence) }
            #expect(sequences == Array(1...1000))
            #expect(subscription.droppedCount == nil)  // gone after finish
        }
    }

    /// A subscriber that never reads holds at most its buffer (the newest events), its loss counter is
    /// exact, and a reading subscriber next to it still receives everything.
    @Test func stalledSubscriberIsBoundedAndCounted() async {
        let bus = EventBus(clock: ManualClock())
        let stalled = bus.subscribe(name: "stalled", bufferSize: 100)
        let reader = bus.subscribe(name: "reader", bufferSize: 10_000)
        for index in 0..<10_000 { bus.publish(account(index)) }
        #expect(stalled.droppedCount == 9_900)
        #expect(reader.droppedCount == 0)
        #expect(bus.subscribers.map(\.dropped).sorted() == [0, 9_900])

        bus.finish()
        var kept: [UInt64] = []
        for await event in stalled { kept.append(event.sequence) }
        #expect(kept == Array(9_901...10_000))
        var readCount = 0
        for await _ in reader { readCount += 1 }
        #expect(readCount == 10_000)
    }

    /// Publishing never waits: with a subscriber that never reads, publish returns for every event
    /// (a synchronous call could not wait even if it wanted to) and the publisher sees no back-pressure.
    @Test func publisherIsNotBlockedByAStalledSubscriber() {
        let bus = EventBus(clock: ManualClock())
        let stalled = bus.subscribe(name: "stalled", bufferSize: 1)
        for index in 0..<100_000 { bus.publish(account(index)) }
        #expect(bus.publishedCount == 100_000)
        #expect(stalled.droppedCount == 99_999)
    }

    /// Dropping a subscription removes its subscriber from the bus.
    @Test func droppedStreamIsRemoved() {
        let bus = EventBus(clock: ManualClock())
        let kept = bus.subscribe(name: "kept")
        do {
            let temporary = bus.subscribe(name: "temporary")
            #expect(bus.subscribers.count == 2)
            _ = temporary.id
        }
        #expect(bus.subscribers.map(\.name) == ["kept"])
        bus.publish(account(1))
        #expect(kept.droppedCount == 0)
    }

    /// A subscriber whose reading task is cancelled is removed too.
    @Test func cancelledReaderIsRemoved() async {
        let bus = EventBus(clock: ManualClock())
        let subscription = bus.subscribe(name: "reader")
        let task = Task {
            for await _ in subscription {}
        }
        task.cancel()
        await task.value
        #expect(bus.subscribers.isEmpty)
    }

    /// Concurrent publishers never give one subscriber events out of sequence order.
    @Test func concurrentPublishersKeepOrder() async {
        let bus = EventBus(clock: ManualClock())
        let subscription = bus.subscribe(name: "reader", bufferSize: 40_000)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for index in 0..<10_000 { bus.publish(self.account(index)) }
                }
            }
        }
        bus.finish()
        var last: UInt64 = 0
        var count = 0
        for await event in subscription {
            #expect(event.sequence > last)
            last = event.sequence
            count += 1
        }
        #expect(count == 40_000)
    }

    /// After `finish`, new subscriptions end at once and publishing is a no-op.
    @Test func finishedBusRefusesNewSubscribers() async {
        let bus = EventBus(clock: ManualClock())
        bus.finish()
        let late = bus.subscribe(name: "late")
        bus.publish(account(1))
        var count = 0
        for await _ in late { count += 1 }
        #expect(count == 0)
        #expect(bus.subscribers.isEmpty)
    }

    /// The benchmark's accounting is exact for a small run.
    @Test func benchmarkAccountsForEveryEvent() async {
        let result = await BusBenchmark.run(events: 20_000, subscribers: 4, bufferSize: 64)
        #expect(result.isExact)
        #expect(result.accounted.count == 4)
        #expect(result.accounted.first { $0.name == "stalled" }?.dropped == 20_000 - 64)
    }
}
