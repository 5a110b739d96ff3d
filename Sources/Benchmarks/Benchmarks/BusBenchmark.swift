import Foundation
import Primitives
import TradingModel

/// `bulwark bench bus`: publishes events to several subscribers, one of which never reads, and measures
/// the publisher's throughput and the process's memory.
public enum BusBenchmark {
    public struct Result: Sendable {
        public var events: Int
        public var subscribers: Int
        public var bufferSize: Int
        public var elapsed: Duration
        public var eventsPerSecond: Double
        public var peakResidentBytes: Int
        /// Per subscriber: events received + events it lost; each must equal `events`.
        public var accounted: [(name: String, received: Int, dropped: UInt64)]

        /// Every subscriber accounted for every event: received + dropped == published.
        public var isExact: Bool {
            accounted.allSatisfy { $0.received + Int($0.dropped) == events }
        }
    }

    public static func run(events: Int, subscribers: Int, bufferSize: Int) async -> Result {
        precondition(subscribers >= 1 && events >= 0)
        let bus = EventBus(clock: SystemClock())
        let stalled = bus.subscribe(name: "stalled", bufferSize: bufferSize)
        let readers = (1..<subscribers).map { bus.subscribe(name: "reader-\($0)", bufferSize: bufferSize) }

        return await withTaskGroup(of: (String, Int, UInt64).self) { group in
            for reader in readers {
                group.addTask {
                    var received = 0
                    var lastSequence: UInt64 = 0
                    for await event in reader {
                        precondition(event.sequence > lastSequence, "events out of order")
                        lastSequence = event.sequence
                        received += 1
                    }
                    return (reader.name, received, 0)
                }
            }
            let account = AccountSnapshot(equity: 100_000, cash: 50_000, buyingPower: 200_000)
            let start = ContinuousClock.now
            for _ in 0..<events {
                bus.publish(.account(account))
            }
            let elapsed = ContinuousClock.now - start
            // Read the loss counters before finishing: finishing removes the subscribers.
            let dropped = Dictionary(uniqueKeysWithValues: bus.subscribers.map { ($0.name, $0.dropped) })
            let stalledDropped = dropped["stalled"] ?? 0
            bus.finish()
            var stalledReceived = 0
            for await _ in stalled { stalledReceived += 1 }

            var accounted: [(name: String, received: Int, dropped: UInt64)] = [("stalled", stalledReceived, stalledDropped)]
            for await (name, received, _) in group {
                accounted.append((name, received, dropped[name] ?? 0))
            }
            accounted.sort { $0.name < $1.name }
            let seconds = elapsed.seconds
            return Result(
                events: events, subscribers: subscribers, bufferSize: bufferSize, elapsed: elapsed,
                eventsPerSecond: seconds > 0 ? Double(events) / seconds : 0,
                peakResidentBytes: ResourceUsage.peakResidentBytes, accounted: accounted)
        }
    }
}
