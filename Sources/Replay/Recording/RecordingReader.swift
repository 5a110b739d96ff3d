import Foundation
import PaperExchange
import Primitives
import Strategies

/// Reads recordings (`RecordingFormat`) into one time-ordered list of events, refusing the first bad line
/// with its file and line. Files are read in the order given, as one timeline: a file that starts before
/// the previous one ended is out of order.
public struct RecordingReader: Sendable {
    /// What was read: the events, oldest first, and each file's header source.
    public struct Recording: Sendable {
        public var events: [MarketEvent]
        public var sources: [String]
        /// When the recorded market trades, from the first header that says (NYSE's session when none does).
        public var session: TradingSession

        public var quoteCount: Int { events.lazy.filter { if case .quote = $0 { true } else { false } }.count }
        public var alertCount: Int { events.count - quoteCount }
        /// Every symbol seen, sorted.
        public var symbols: [Symbol] { Set(events.map(\.symbol)).sorted() }
    }

    public init() {}

    public func read(files: [String]) throws(RecordingError) -> Recording {
        var recording = Recording(events: [], sources: [], session: .nyse)
        var sessionSeen = false
        var last: (time: Timestamp, file: String, line: Int)?
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw RecordingError(.missing, file: file, line: nil, "cannot be read (no such file, or not readable)")
            }
            let bytes = [UInt8](data)
            guard !bytes.isEmpty else { throw RecordingError(.empty, file: file, line: nil, "is empty: a recording starts with its header line") }
            var lineNumber = 0
            var start = 0
            while start < bytes.count {
                lineNumber += 1
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n"))
                guard let end else {
                    throw RecordingError(.truncated, file: file, line: lineNumber, "the last line ends without a newline: the recording was cut off")
                }
                let line = Array(bytes[start..<end])
                start = end + 1
                if lineNumber == 1 {
                    let (source, session) = try header(line, file: file)
                    recording.sources.append(source)
                    if let session, !sessionSeen {
                        recording.session = session
                        sessionSeen = true
                    }
                    continue
                }
                let event = try parse(line, file: file, line: lineNumber)
                if let last, event.time < last.time {
                    let after = last.file == file ? "line \(last.line)" : "\(last.file):\(last.line)"
                    throw RecordingError(
                        .outOfOrder, file: file, line: lineNumber,
                        "out of order: \(event.time.rfc3339) is earlier than \(last.time.rfc3339) on \(after)")
                }
                last = (event.time, file, lineNumber)
                recording.events.append(event)
            }
        }
        return recording
    }

    private func object(_ line: [UInt8], file: String, line number: Int) throws(RecordingError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: line)
        } catch {
            throw RecordingError(.malformed, file: file, line: number, "not a JSON line: \(error.operatorText)")
        }
        guard let object = value.objectValue else {
            throw RecordingError(.malformed, file: file, line: number, "a line must be a JSON object, not \(value.typeName)")
        }
        return object
    }

    private func header(_ line: [UInt8], file: String) throws(RecordingError) -> (source: String, session: TradingSession?) {
        let fields = try object(line, file: file, line: 1)
        guard let version = fields[RecordingFormat.headerKey] else {
            throw RecordingError(.header, file: file, line: 1, "the first line must be the header {\"\(RecordingFormat.headerKey)\":\(RecordingFormat.version),…}")
        }
        guard version.intValue == RecordingFormat.version else {
            throw RecordingError(
                .header, file: file, line: 1,
                "recording format version \(version.serialized) is not one this build reads (it reads \(RecordingFormat.version))")
        }
        var session: TradingSession?
        if let text = fields["session"]?.stringValue {
            guard let known = TradingSession(rawValue: text) else {
                throw RecordingError(.header, file: file, line: 1, "session \"\(text.prefix(20))\" is not nyse or always")
            }
            session = known
        }
        return (fields["source"]?.stringValue ?? "", session)
    }

    private func parse(_ line: [UInt8], file: String, line number: Int) throws(RecordingError) -> MarketEvent {
        let fields = try object(line, file: file, line: number)
        func fail(_ message: String) -> RecordingError { RecordingError(.malformed, file: file, line: number, message) }
        func symbol(_ key: String) throws(RecordingError) -> Symbol {
            guard let text = fields[key]?.stringValue else { throw fail("\"\(key)\" must be a symbol string") }
            guard let symbol = Symbol(text) else {
                throw RecordingError(.unknownSymbol, file: file, line: number, "\"\(text.prefix(20))\" is not a ticker symbol")
            }
            return symbol
        }
        func money(_ key: String) throws(RecordingError) -> Decimal {
            guard let value = fields[key]?.decimalValue, value >= 0 else { throw fail("\"\(key)\" must be a decimal amount, 0 or more") }
            return value
        }
        guard let milliseconds = fields["t"]?.intValue else { throw fail("\"t\" (milliseconds since the epoch) is missing or not a whole number") }
        let time = Timestamp.milliseconds(Int64(milliseconds))
        if fields["quote"] != nil {
            let quote = Quote(symbol: try symbol("quote"), bid: try money("bid"), ask: try money("ask"), timestamp: time)
            guard quote.bid > 0, quote.ask >= quote.bid else { throw fail("a quote needs 0 < bid ≤ ask (bid \(quote.bid), ask \(quote.ask))") }
            return .quote(quote)
        }
        if fields["flow"] != nil {
            let ticker = try symbol("flow")
            guard let id = fields["id"]?.stringValue, !id.isEmpty else { throw fail("a flow alert needs its \"id\"") }
            guard let kindText = fields["kind"]?.stringValue, let kind = FlowSignal.Kind(rawValue: kindText) else {
                throw fail("\"kind\" must be \"call\" or \"put\"")
            }
            let premium = try money("premium")
            var share: Decimal?
            if fields["ask_premium"] != nil, premium > 0 { share = try money("ask_premium") / premium }
            var created: Timestamp?
            if let field = fields["created"] {
                guard let milliseconds = field.intValue, Int64(milliseconds) <= time.epochMilliseconds else {
                    throw fail("\"created\" must be a whole number of milliseconds, no later than \"t\"")
                }
                created = .milliseconds(Int64(milliseconds))
            }
            let signal = FlowSignal(id: id, symbol: ticker, kind: kind, totalPremium: premium, askSideShare: share, createdAt: created ?? time)
            return .flow(signal, seenAt: created == nil ? nil : time)
        }
        let keys = fields.keys.prefix(3).joined(separator: ", ")
        throw RecordingError(.unknownRecord, file: file, line: number, "not a quote or a flow alert (fields: \(keys))")
    }
}
