import TradingModel

extension EventSubscription {
    /// The next `count` events, which must already have been published (so this never waits).
    public func take(_ count: Int) async -> [Event] {
        var iterator = makeAsyncIterator()
        var events: [Event] = []
        while events.count < count, let event = await iterator.next() {
            events.append(event)
        }
        return events
    }
}
