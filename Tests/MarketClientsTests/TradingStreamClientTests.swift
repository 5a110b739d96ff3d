import Foundation
import Logging
import PaperExchange
import Synchronization
import TestSupport
import Testing

@testable import MarketClients
import Primitives
import TradingModel

/// The trading stream's client: its decoders against the contract samples the exchange's encoders are
/// checked against, and the reconnecting service against a paper exchange over a real websocket.
@Suite(.serialized)
struct TradingStreamClientTests {
    static let keyID = Secret("PKSTREAMTEST0001234")
    static let secretKey = Secret("SKstreamtestsecret00WXYZ")

    /// Every trading-stream sample decodes into its typed message: money exactly, the order whole.
    @Test func samplesDecode() throws {
        func message(_ name: String) throws -> TradingStreamMessage {
            try TradingStreamMessage.decode(Array(try Contracts.sample("alpaca/\(name)").utf8))
        }
        #expect(try message("stream_authorization.json") == .authorization(authorized: true))
        #expect(try message("stream_listening.json") == .listening(["trade_updates"]))
        #expect(try message("stream_error.json") == .error("not authenticated"))
        guard case .tradeUpdate(let new) = try message("stream_trade_update_new.json"),
            case .tradeUpdate(let fill) = try message("stream_trade_update_fill.json"),
            case .tradeUpdate(let canceled) = try message("stream_trade_update_canceled.json")
        else {
            Issue.record("a trade update sample did not decode as one")
            return
        }
        #expect(new.event == .new && new.order.status == .open && new.price == nil)
        #expect(fill.event == .fill && fill.price == Decimal(string: "175.1") && fill.quantity == 1 && fill.positionQuantity == 1)
        #expect(fill.order.brokerOrder?.status == .filled && fill.order.brokerOrder?.filledAveragePrice == Decimal(string: "175.1"))
        #expect(fill.timestamp == Timestamp(rfc3339: "2026-03-16T18:38:02.114Z"))
        #expect(canceled.event == .canceled && canceled.order.brokerOrder?.status == .canceled)
    }

    /// Unknown events and streams are kept, not refused; a frame outside the contract is a schema failure.
    @Test func variants() throws {
        var text = try Contracts.sample("alpaca/stream_trade_update_new.json")
        text = text.replacingOccurrences(of: "\"event\":\"new\"", with: "\"event\":\"pending_new\"")
        guard case .tradeUpdate(let update) = try TradingStreamMessage.decode(Array(text.utf8)) else {
            Issue.record("not a trade update")
            return
        }
        #expect(update.event == .unknown("pending_new"))
        #expect(try TradingStreamMessage.decode(Array(#"{"stream":"account_updates","data":{}}"#.utf8)) == .other(stream: "account_updates"))
        #expect(throws: APIError.self) { try TradingStreamMessage.decode(Array(#"{"data":{}}"#.utf8)) }
    }

    /// The stream's address follows the trading API's host and scheme.
    @Test func streamURL() {
        #expect(TradingStreamClient.streamURL(URL(string: "http://127.0.0.1:8123")!) == "ws://127.0.0.1:8123/stream")
        #expect(TradingStreamClient.streamURL(URL(string: "https://paper-api.alpaca.markets")!) == "wss://paper-api.alpaca.markets/stream")
    }

    /// Reconnection waits double from the first backoff up to the cap.
    @Test func backoffDoublesToItsCap() {
        let service = TradeStreamService(
            client: TradingStreamClient(tradingBaseURL: URL(string: "http://127.0.0.1:9")!, keyID: Self.keyID, secretKey: Self.secretKey, logger: LogCapture().logger),
            sink: RecordingSink(), chaos: nil, clock: ManualClock(), logger: LogCapture().logger,
            settings: .init(initialBackoff: .seconds(1), maxBackoff: .seconds(30)))
        #expect((1...7).map { service.backoff(after: $0) } == [1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
    }

    /// Against a paper exchange: the service listens, a market order's fill is pushed to the sink as the
    /// filled order; `stream_drop` drops the connection (down, reason named) and keeps it off; off again,
    /// it reconnects. The keys are never in the log.
    @Test func listensDropsAndReconnects() async throws {
        let server = try ExchangeServer(
            options: ExchangeServer.Options(
                keyID: Self.keyID, secretKey: Self.secretKey, flowToken: Secret("UWstreamtesttoken000QRST"), book: ExchangeBook.Configuration(seed: 5),
                stateDirectory: nil, rateLimitPerMinute: 1000, faultControls: false),
            clock: SystemClock(), logger: Logger(label: "exchange") { _ in SwiftLogNoOpLogHandler() })
        let log = LogCapture()
        try await server.withRunning { port in
            let sink = RecordingSink()
            let chaos = ChaosSwitchboard(locked: false, logger: log.logger)
            let client = TradingStreamClient(
                tradingBaseURL: URL(string: "http://127.0.0.1:\(port)")!, keyID: Self.keyID, secretKey: Self.secretKey, logger: log.logger)
            let service = TradeStreamService(
                client: client, sink: sink, chaos: chaos, clock: SystemClock(), logger: log.logger,
                settings: .init(initialBackoff: .milliseconds(50), maxBackoff: .milliseconds(200), chaosPoll: .milliseconds(20)))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                defer { group.cancelAll() }
                #expect(await eventually { sink.listenings == 1 }, "listening")

                let transport = AsyncHTTPTransport(connectTimeout: .seconds(2))
                let trading = AlpacaTradingClient(
                    requester: APIRequester(
                        api: "alpaca", baseURL: URL(string: "http://127.0.0.1:\(port)")!,
                        headers: { AlpacaTradingClient.authHeaders(keyID: Self.keyID, secretKey: Self.secretKey) }, transport: transport,
                        clock: SystemClock(), logger: log.logger))
                let intent = OrderIntent(
                    clientOrderID: "bw-stream-test-1", symbol: Symbol("AAPL")!, side: .buy, quantity: 1, limitPrice: nil, createdAt: SystemClock().now)
                let order = try await trading.submitOnce(intent)
                try await transport.shutdown()
                #expect(await eventually { sink.orders.contains { $0.brokerOrderID == order.id && $0.status == .filled } }, "the fill is pushed")
                #expect(sink.orders.first { $0.status == .filled }?.filledAveragePrice != nil)

                try chaos.set(.streamDrop, on: true)
                #expect(await eventually { sink.downs.contains { $0.contains("stream_drop") } }, "dropped: \(sink.downs)")
                let listenings = sink.listenings
                try chaos.set(.streamDrop, on: false)
                #expect(await eventually { sink.listenings > listenings }, "reconnected")
            }
        }
        #expect(!log.lines.isEmpty)
        #expect(!log.contains(Self.secretKey.exposedValue) && !log.contains(Self.keyID.exposedValue))
    }

    /// Wrong keys: the stream refuses them and the service reports it down with that reason.
    @Test func refusedKeysAreReported() async throws {
        let server = try ExchangeServer(
            options: ExchangeServer.Options(
                keyID: Self.keyID, secretKey: Self.secretKey, flowToken: Secret("UWstreamtesttoken000QRST"), book: ExchangeBook.Configuration(seed: 5),
                stateDirectory: nil, rateLimitPerMinute: 1000, faultControls: false),
            clock: SystemClock(), logger: Logger(label: "exchange") { _ in SwiftLogNoOpLogHandler() })
        try await server.withRunning { port in
            let sink = RecordingSink()
            let client = TradingStreamClient(
                tradingBaseURL: URL(string: "http://127.0.0.1:\(port)")!, keyID: Self.keyID, secretKey: Secret("SKwrongwrongwrong00000"),
                logger: LogCapture().logger)
            let service = TradeStreamService(
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

    /// `stream_drop` is refused against a live account, as every chaos mode is.
    @Test func streamDropIsRefusedWhenLive() {
        let chaos = ChaosSwitchboard(locked: true, logger: LogCapture().logger)
        #expect(throws: ChaosSwitchboard.Refusal.self) { try chaos.set(.streamDrop, on: true) }
        #expect(!chaos.isOn(.streamDrop))
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

/// Records what the stream's service reports.
final class RecordingSink: OrderUpdateSink {
    private struct State {
        var listenings = 0
        var downs: [String] = []
        var orders: [BrokerOrder] = []
    }

    private let state = Mutex(State())

    var listenings: Int { state.withLock { $0.listenings } }
    var downs: [String] { state.withLock { $0.downs } }
    var orders: [BrokerOrder] { state.withLock { $0.orders } }

    func streamListening() { state.withLock { $0.listenings += 1 } }
    func streamDown(reason: String) { state.withLock { $0.downs.append(reason) } }
    func received(_ order: BrokerOrder) { state.withLock { $0.orders.append(order) } }
}
