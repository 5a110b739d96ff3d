import Engine
import PaperExchange
import Foundation
import Logging
import Primitives
import Strategies
import Synchronization

/// Writes what a running Bulwark saw (`RECORD_MARKET=1`) as recordings under `folder` (`logs/market/`):
/// one file a UTC day by the injected clock, `YYYY-MM-DD.001.jsonl`, each starting with its header; a
/// file that reaches `maximumBytes` is continued in `.002`, `.003`, … (the names sort in time order, so
/// `bulwark replay logs/market/*.jsonl` reads them as one timeline).
///
/// Every line's time is when Bulwark saw it (the quote read, the alert polled), never earlier than the
/// line before, so the file is in order even when an alert's own creation time is older than the last
/// quote; an alert keeps its creation time as `created`, so a replay finds it as old as live did (a
/// quote's own time is not kept: it is replayed as quoted when read). An alert is kept once however many polls return it. A write that fails is logged once and the
/// recorder stops (trading goes on); appends are whole lines (`O_APPEND`, one write per batch).
public final class MarketRecordingWriter: MarketRecorder {
    private struct State {
        var descriptor: Int32 = -1
        var day: Int64 = -1
        var part = 0
        var size = 0
        var last: Timestamp?
        var seen: Set<String> = []
        var seenOrder: [String] = []
        var failed = false
    }

    public let folder: String
    public let maximumBytes: Int
    private let session: TradingSession
    private let logger: Logger
    private let state = Mutex(State())
    private static let seenLimit = 5_000

    public init(folder: String, maximumBytes: Int, session: TradingSession = .nyse, logger: Logger) {
        self.folder = folder
        self.maximumBytes = max(4_096, maximumBytes)
        self.session = session
        self.logger = logger
    }

    deinit {
        state.withLock { if $0.descriptor >= 0 { close($0.descriptor) } }
    }

    public func record(quotes: [Quote], seenAt: Timestamp) {
        write(quotes.map { MarketEvent.quote($0) }, seenAt: seenAt)
    }

    public func record(alerts: [FlowSignal], seenAt: Timestamp) {
        write(alerts.map { MarketEvent.flow($0) }, seenAt: seenAt)
    }

    /// The file a day's part is written to.
    public static func fileName(day: Int64, part: Int) -> String {
        let date = Timestamp.milliseconds(day * 86_400_000).rfc3339.prefix(10)
        let number = String(part)
        return "\(date).\(String(repeating: "0", count: max(0, 3 - number.count)))\(number).jsonl"
    }

    private func write(_ events: [MarketEvent], seenAt: Timestamp) {
        let failure: String? = state.withLock { state -> String? in
            guard !state.failed else { return nil }
            let time = max(state.last ?? seenAt, seenAt)
            var lines = ""
            for event in events {
                let line: String
                switch event {
                case .quote(let quote):
                    line = RecordingFormat.line(.quote(Quote(symbol: quote.symbol, bid: quote.bid, ask: quote.ask, timestamp: time)))
                case .flow(let signal, _):
                    guard !state.seen.contains(signal.id) else { continue }
                    state.seen.insert(signal.id)
                    state.seenOrder.append(signal.id)
                    if state.seenOrder.count > Self.seenLimit { state.seen.remove(state.seenOrder.removeFirst()) }
                    line = RecordingFormat.line(.flow(signal, seenAt: time))
                }
                lines += line + "\n"
            }
            guard !lines.isEmpty else { return nil }
            state.last = time
            let day = time.epochMilliseconds >= 0 ? time.epochMilliseconds / 86_400_000 : (time.epochMilliseconds - 86_399_999) / 86_400_000
            do throws(MarketRecordingError) {
                if state.descriptor < 0 || state.day != day || state.size + lines.utf8.count > maximumBytes && state.size > 0 {
                    try open(&state, day: day)
                }
                try append(Array(lines.utf8), &state)
                return nil
            } catch {
                state.failed = true
                return error.message
            }
        }
        if let failure { logger.error("market recording stopped", metadata: ["error": "\(failure)", "folder": "\(folder)"]) }
    }

    /// Opens the day's next file with room: a new one gets its header; an existing one is appended to.
    private func open(_ state: inout State, day: Int64) throws(MarketRecordingError) {
        if state.descriptor >= 0 {
            close(state.descriptor)
            state.descriptor = -1
        }
        if state.day != day {
            state.day = day
            state.part = 0
        }
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) != nil else {
            throw MarketRecordingError(message: "cannot make the folder \(folder)")
        }
        while true {
            state.part += 1
            let path = folder + "/" + Self.fileName(day: day, part: state.part)
            let existing = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            if let existing, existing >= maximumBytes { continue }
            let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw MarketRecordingError(message: "cannot open \(path): \(String(cString: strerror(errno)))") }
            state.descriptor = descriptor
            state.size = existing ?? 0
            if state.size == 0 {
                let header = RecordingFormat.header(source: "recorded by bulwark run (RECORD_MARKET=1)", session: session) + "\n"
                try append(Array(header.utf8), &state)
            }
            return
        }
    }

    private func append(_ bytes: [UInt8], _ state: inout State) throws(MarketRecordingError) {
        let descriptor = state.descriptor
        let written = bytes.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += count
            }
            return true
        }
        guard written else { throw MarketRecordingError(message: "cannot write: \(String(cString: strerror(errno)))") }
        state.size += bytes.count
    }
}

/// The market recording could not be written; recording stops, trading goes on.
public struct MarketRecordingError: OperatorError {
    public var message: String
    public var errorCode: String { "recording.write_failed" }
    public var description: String { message }
}
