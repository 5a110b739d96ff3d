import Primitives
import Strategies

/// Where a running Bulwark records what it saw (`RECORD_MARKET=1`): every quote it read and every flow
/// alert it received, with the time it saw them. A recorder never throws and never blocks trading for
/// long: a write that fails is the recorder's to report.
public protocol MarketRecorder: Sendable {
    func record(quotes: [Quote], seenAt: Timestamp)
    func record(alerts: [FlowSignal], seenAt: Timestamp)
}

/// A quote source that hands every quote it reads to a recorder, then to its caller unchanged.
public struct RecordingQuoteSource: QuoteSource {
    let source: any QuoteSource
    let recorder: any MarketRecorder
    let clock: any WallClock

    public init(_ source: any QuoteSource, recorder: any MarketRecorder, clock: any WallClock) {
        self.source = source
        self.recorder = recorder
        self.clock = clock
    }

    public func latestQuotes(_ symbols: [Symbol]) async throws -> [Symbol: Quote] {
        let quotes = try await source.latestQuotes(symbols)
        if !quotes.isEmpty { recorder.record(quotes: quotes.values.sorted { $0.symbol < $1.symbol }, seenAt: clock.now) }
        return quotes
    }
}

/// A flow source that hands every alert of each page to a recorder (oldest first), then to its caller
/// unchanged. Pages overlap; the recorder keeps each alert once.
public struct RecordingFlowSource: FlowSource {
    let source: any FlowSource
    let recorder: any MarketRecorder
    let clock: any WallClock

    public init(_ source: any FlowSource, recorder: any MarketRecorder, clock: any WallClock) {
        self.source = source
        self.recorder = recorder
        self.clock = clock
    }

    public func signals(newerThan: Timestamp?, limit: Int) async throws -> [FlowSignal] {
        let page = try await source.signals(newerThan: newerThan, limit: limit)
        if !page.isEmpty { recorder.record(alerts: page.reversed(), seenAt: clock.now) }
        return page
    }
}
