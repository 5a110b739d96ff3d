import Foundation
import PaperExchange
import Primitives
import Strategies

/// `bulwark record --synthetic`: the paper exchange's seeded market walk and flow generator, written as a
/// recording. A quote per symbol every `quoteInterval` while the market is open — NYSE's regular session
/// by its calendar, or around the clock — and every flow alert the generator issues meanwhile. The same
/// settings give the same lines, byte for byte.
public struct SyntheticMarket: Sendable {
    public var seed: UInt64
    public var days: Int
    public var symbols: [Symbol]
    public var session: TradingSession
    /// The first day considered (days since 1970-01-01): for NYSE, the first session on or after it.
    public var startDay: Int64
    public var quoteInterval: Duration
    public var flowAlertInterval: Duration

    /// 2026-01-05, a Monday.
    public static let defaultStartDay: Int64 = 20_458

    public init(
        seed: UInt64, days: Int, symbols: [Symbol] = Listing.defaultSymbols, session: TradingSession = .nyse,
        startDay: Int64 = SyntheticMarket.defaultStartDay, quoteInterval: Duration = .seconds(1), flowAlertInterval: Duration = .seconds(10)
    ) {
        self.seed = seed
        self.days = days
        self.symbols = symbols
        self.session = session
        self.startDay = startDay
        self.quoteInterval = quoteInterval
        self.flowAlertInterval = flowAlertInterval
    }

    /// The stretches of time recorded: one NYSE session per trading day, or whole UTC days.
    public var spans: [(open: Timestamp, close: Timestamp)] {
        guard days > 0 else { return [] }
        switch session {
        case .always:
            return (0..<Int64(days)).map { offset in
                let day = (startDay + offset) * 86_400_000
                return (.milliseconds(day), .milliseconds(day + 86_400_000))
            }
        case .nyse:
            var spans: [(open: Timestamp, close: Timestamp)] = []
            var day = startDay
            while spans.count < days {
                if let session = MarketCalendar.session(onDay: day) { spans.append((session.open, session.close)) }
                day += 1
            }
            return spans
        }
    }

    public var header: String {
        RecordingFormat.header(source: "synthetic: seed \(seed), \(days) day\(days == 1 ? "" : "s"), \(symbols.map(\.rawValue).joined(separator: " "))", session: session)
    }

    /// Calls `emit` with every line, header first, each without its newline.
    public func generate(_ emit: (String) throws -> Void) rethrows {
        try emit(header)
        let spans = spans
        guard let first = spans.first else { return }
        let interval = ExchangeBookTime.milliseconds(quoteInterval)
        var book = ExchangeBook(
            configuration: ExchangeBook.Configuration(
                seed: seed, symbols: symbols, quoteInterval: quoteInterval, flowAlertInterval: flowAlertInterval, warmUp: .zero,
                session: .always),
            createdAt: first.open)
        let listed = book.market.symbols
        var lastSequence = 0
        var lastTime = Int64.min
        for span in spans {
            var now = span.open.epochMilliseconds
            let close = span.close.epochMilliseconds
            while now < close {
                book.advance(to: .milliseconds(now))
                // Alerts first: each was made during the step that ends now, so before its quotes.
                for alert in book.alerts where alert.sequence > lastSequence {
                    lastSequence = alert.sequence
                    let created = alert.createdAt.epochMilliseconds
                    guard created >= span.open.epochMilliseconds, created >= lastTime else { continue }
                    lastTime = created
                    let share = alert.totalPremium > 0 ? alert.totalAskSidePremium / alert.totalPremium : nil
                    try emit(
                        RecordingFormat.line(
                            .flow(
                                FlowSignal(
                                    id: alert.id, symbol: alert.ticker, kind: alert.isCall ? .call : .put, totalPremium: alert.totalPremium,
                                    askSideShare: share, createdAt: alert.createdAt))))
                }
                for symbol in listed {
                    guard let quote = book.market.quote(symbol) else { continue }
                    try emit(RecordingFormat.line(.quote(Quote(symbol: symbol, bid: quote.bid, ask: quote.ask, timestamp: .milliseconds(now)))))
                }
                lastTime = now
                now += interval
            }
        }
    }

    /// Writes the recording to `path` whole: into a temporary file beside it, renamed over `path` once
    /// complete, so a failed run leaves nothing half written.
    public func write(to path: String) throws {
        let temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw RecordingWriteError(path: path, message: "cannot create \(temporary)")
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 20)
            try generate { line in
                buffer.append(contentsOf: line.utf8)
                buffer.append(UInt8(ascii: "\n"))
                if buffer.count >= 1 << 20 {
                    try handle.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try handle.write(contentsOf: buffer)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else {
                throw RecordingWriteError(path: path, message: "cannot rename \(temporary) over it: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}

/// A recording could not be written; nothing was left half written.
public struct RecordingWriteError: OperatorError {
    public var path: String
    public var message: String
    public var errorCode: String { "recording.write_failed" }
    public var description: String { "\(path): \(message)" }
}

enum ExchangeBookTime {
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
    }
}
