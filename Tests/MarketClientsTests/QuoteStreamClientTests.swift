import Foundation
import Logging
import PaperExchange
import Synchronization
import TestSupport
import Testing

@testable import MarketClients
import Primitives
import TradingModel

/// The market-data stream's quote client: its decoders against the contract samples the exchange's
/// encoders are checked against, and the reconnecting service against a paper exchange over a real websocket.
@Suite(.serialized)
struct QuoteStreamClientTests {
    static let keyID = Secret("PKQUOTESTREAM0001234")
    static let secretKey = Secret("SKquotestreamsecret00WXYZ")

    /// Every market-data sample Bulwark reads decodes into its typed message (prices exactly); trades and
    /// bars are kept as other types, not refused; a frame outside the contract is a schema failure.
    @Test func samplesDecode() throws {
        func messages(_ name: String) throws -> [MarketDataStreamMessage] {
            try MarketDataStreamMessage.decode(Array(try Contracts.sample("alpaca/\(name)").utf8))
        }
        #expect(try messages("stream_md_connected.json") == [.success("connected")])
        #expect(try messages("stream_md_authenticated.json") == [.success("authenticated")])
        #expect(try messages("stream_md_error.json") == [.error(code: 402, message: "auth failed")])
        #expect(try messages("stream_md_subscription.json") == [.subscription(quotes: ["AMD", "CLDR"])])
        #expect(try messages("stream_md_trade.json") == [.other(type: "t")])
        #expect(try messages("stream_md_bar.json") == [.other(type: "b")])
        let amd = Symbol("AMD")!
        #expect(
            try messages("stream_md_quote.json")
                == [.quote(Quote(symbol: amd, bid: Decimal(string: "87.66")!, ask: Decimal(string: "87.68")!, timestamp: Timestamp(rfc3339: "2021-02-22T15:51:45.335689322Z")!))])
        #expect(throws: APIError.self) { try MarketDataStreamMessage.decode(Array(#"{"T":"q"}"#.utf8)) }
        #expect(throws: APIError.self) { try MarketDataStreamMessage.decode(Array(#"[{"T":"q","S":"AMD"}]"#.utf8)) }
    }

    /// The stream's address: the data API's host for the paper exchange, Alpaca's streaming host for Alpaca's.
    @Test func streamURL() {
        #expect(MarketDataStreamClient.streamURL(URL(string: "http://127.0.0.1:8123")!) == "ws://127.0.0.1:8123/v2/iex")
        #expect(MarketDataStreamClient.streamURL(URL(string: "https://data.alpaca.markets")!) == "wss://stream.data.alpaca.markets/v2/iex")
        #expect(MarketDataStreamClient.streamURL(URL(string: "https://data.alpaca.markets")!, feed: "sip") == "wss://stream.data.alpaca.markets/v2/sip")
    }

    /// Against a paper exchange: the service authenticates, subscribes to the symbols its sink wants and
    /// follows that set as it changes (a symbol added is subscribed and its quotes pushed; one removed is
    /// unsubscribed); `stream_drop` drops the connection (down, reason named) and keeps it off; off again,
    /// it reconnects. The keys are never in the log.
    @Test func subscribesFollowsDropsAndReconnects() async throws {
        let server = try Self.exchange()
        let log = LogCapture()
        try await server.withRunning { port in
            let sink = RecordingQuoteSink(wanted: [Symbol("AAPL")!])
            let chaos = ChaosSwitchboard(locked: false, logger: log.logger)
            let client = MarketDataStreamClient(
                dataBaseURL: URL(string: "http://127.0.0.1:\(port)")!, keyID: Self.keyID, secretKey: Self.secretKey, logger: log.logger)
            let service = QuoteStreamService(
                client: client, sink: sink, chaos: chaos, clock: SystemClock(), logger: log.logger,
                settings: .init(initialBackoff: .milliseconds(50), maxBackoff: .milliseconds(200), chaosPoll: .milliseconds(20)))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                defer { group.cancelAll() }
                #expect(await eventually { sink.listenings == 1 }, "authenticated: \(sink.downs)")
                #expect(await eventually { sink.subscriptions.last == [Symbol("AAPL")!] }, "subscribed: \(sink.subscriptions)")
                #expect(await eventually { sink.quotes.contains { $0.symbol.rawValue == "AAPL" } }, "an AAPL quote pushed")

                sink.wanted = [Symbol("MSFT")!]
                #expect(await eventually { sink.subscriptions.last == [Symbol("MSFT")!] }, "resubscribed: \(sink.subscriptions)")
                #expect(await eventually { sink.quotes.contains { $0.symbol.rawValue == "MSFT" } }, "an MSFT quote pushed")
                let quote = try #require(sink.quotes.last { $0.symbol.rawValue == "MSFT" })
                #expect(quote.bid > 0 && quote.ask >= quote.bid)

                try chaos.set(.streamDrop, on: true)
                #expect(await eventually { sink.downs.contains { $0.contains("stream_drop") } }, "dropped: \(sink.downs)")
                let listenings = sink.listenings
                try chaos.set(.streamDrop, on: false)
                #expect(await eventually { sink.listenings > listenings }, "reconnected")
                #expect(await eventually { sink.subscriptions.last == [Symbol("MSFT")!] }, "subscribed again after the reconnection")
            }
        }
        #expect(!log.lines.isEmpty)
        #expect(!log.contains(Self.secretKey.exposedValue) && !log.contains(Self.keyID.exposedValue))
    }

    /// Wrong keys: the stream refuses them and the service reports it down with that reason.
    @Test func refusedKeysAreReported() async throws {
        let server = try Self.exchange()
        try await server.withRunning { port in
            let sink = RecordingQuoteSink(wanted: [])
            let client = MarketDataStreamClient(
                dataBaseURL: URL(string: "http://127.0.0.1:\(port)")!, keyID: Self.keyID, secretKey: Secret("SKwrongwrongwrong00000"),
                logger: LogCapture().logger)
            let service = QuoteStreamService(
                client: client, sink: sink, chaos: nil, clock: SystemClock(), logger: LogCapture().logger,
                settings: .init(initialBackoff: .milliseconds(50), maxBackoff: .milliseconds(100)))
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                defer { group.cancelAll() }
                #expect(await eventually { sink.downs.contains { $0.contains("refused the account's keys") } }, "\(sink.downs)")
                #expect(sink.listenings == 0)
            }
        }
    }

    static func exchange(faultControls: Bool = false) throws -> ExchangeServer {
        try ExchangeServer(
            options: ExchangeServer.Options(
                keyID: keyID, secretKey: secretKey, flowToken: Secret("UWquotestreamtoken000QRST"), book: ExchangeBook.Configuration(seed: 5),
                stateDirectory: nil, rateLimitPerMinute: 1000, faultControls: faultControls),
            clock: SystemClock(), logger: Logger(label: "exchange") { _ in SwiftLogNoOpLogHandler() })
    }

    /// Polls `condition` until it holds or 15 s have passed.
    private func eventually(_ condition: @Sendable () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}

/// Records what the quote stream's service reports, and wants the symbols a test sets.
final class RecordingQuoteSink: QuoteUpdateSink {
    private struct State {
        var wanted: Set<Symbol>
        var listenings = 0
        var downs: [String] = []
        var subscriptions: [Set<Symbol>] = []
        var quotes: [Quote] = []
    }

    private let state: Mutex<State>

    init(wanted: Set<Symbol>) { state = Mutex(State(wanted: wanted)) }

    var wanted: Set<Symbol> {
        get { state.withLock { $0.wanted } }
        set { state.withLock { $0.wanted = newValue } }
    }
    var wantedSymbols: Set<Symbol> { wanted }
    var listenings: Int { state.withLock { $0.listenings } }
    var downs: [String] { state.withLock { $0.downs } }
    var subscriptions: [Set<Symbol>] { state.withLock { $0.subscriptions } }
    var quotes: [Quote] { state.withLock { $0.quotes } }

    func streamListening() { state.withLock { $0.listenings += 1 } }
    func streamDown(reason: String) { state.withLock { $0.downs.append(reason) } }
    func subscribed(_ symbols: Set<Symbol>) { state.withLock { $0.subscriptions.append(symbols) } }
    func received(_ quote: Quote) { state.withLock { $0.quotes.append(quote) } }
}
