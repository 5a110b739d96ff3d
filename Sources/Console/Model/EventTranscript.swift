import TradingModel

/// The events pane's lines for a stream of bus events, as the console would show them, with none dropped:
/// what `bulwark chaos-test` checks for operator text and keeps beside the log.
public struct EventTranscript: Sendable {
    private var snapshot = ConsoleModel.Snapshot()

    public init() {
        // Every line, repeats too: the transcript is checked line by line.
        snapshot.events = EventHistory(capacity: ConsoleModel.eventLimit, mergesRepeats: false)
    }

    /// Folds `event` in as the console does; returns the lines it added to the events pane, oldest first.
    public mutating func append(_ event: Event) -> [ConsoleModel.EventLine] {
        let before = snapshot.loggedCount
        ConsoleUpdate.apply(event, to: &snapshot)
        let added = Int(min(snapshot.loggedCount - before, UInt64(snapshot.events.count)))
        return snapshot.events.prefix(added).reversed()
    }
}
