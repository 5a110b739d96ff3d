import Foundation
import Logging
import PaperExchange
import TestSupport
import Testing

@testable import MarketClients
import Primitives
import TradingModel

/// A silent stream — the connection stays open, but nothing comes back, not even a pong — is detected
/// by its client's missed pings, reported down (which marks `trade-stream`/`quote-stream` DEGRADED: see
/// `StreamFollowTests` and `StreamedQuotesTests`), and made again once the exchange answers again.
@Suite(.serialized)
struct SilentStreamTests {
    /// Both streams against a paper exchange whose stream connections go silent: each service reports
    /// its stream down, naming the silence, within a few ping intervals; a reconnection made while it is
    /// still silent is dropped the same way; once the exchange answers again, both are listening again.
    @Test func silentStreamsAreDetectedAndReconnected() async throws {
        let server = try QuoteStreamClientTests.exchange(faultControls: true)
        let (keyID, secretKey) = (QuoteStreamClientTests.keyID, QuoteStreamClientTests.secretKey)
        let log = LogCapture()
        let ping = Duration.milliseconds(200)
        let settings = TradeStreamService.Settings(initialBackoff: .milliseconds(50), maxBackoff: .milliseconds(200), chaosPoll: .milliseconds(20))
        try await server.withRunning { port in
            let url = URL(string: "http://127.0.0.1:\(port)")!
            let orders = RecordingSink()
            let quotes = RecordingQuoteSink(wanted: [Symbol("AAPL")!])
            let trading = TradeStreamService(
                client: TradingStreamClient(tradingBaseURL: url, keyID: keyID, secretKey: secretKey, pingInterval: ping, logger: log.logger),
                sink: orders, chaos: nil, clock: SystemClock(), logger: log.logger, settings: settings)
            let marketData = QuoteStreamService(
                client: MarketDataStreamClient(dataBaseURL: url, keyID: keyID, secretKey: secretKey, pingInterval: ping, logger: log.logger),
                sink: quotes, chaos: nil, clock: SystemClock(), logger: log.logger, settings: settings)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await trading.run() }
                group.addTask { try await marketData.run() }
                defer { group.cancelAll() }
                #expect(await eventually { orders.listenings == 1 && quotes.listenings == 1 }, "both listening")
                #expect(await eventually { !quotes.quotes.isEmpty }, "quotes pushed")

                try server.silenceStreams(true)
                // The open connection, then one made while the exchange is still silent, each detected.
                #expect(await eventually { orders.downs.filter { $0.contains("went silent") }.count >= 2 }, "trading stream: \(orders.downs)")
                #expect(await eventually { quotes.downs.filter { $0.contains("went silent") }.count >= 2 }, "market-data stream: \(quotes.downs)")

                let (tradingListenings, quoteListenings) = (orders.listenings, quotes.listenings)
                try server.silenceStreams(false)
                #expect(await eventually { orders.listenings > tradingListenings }, "trading stream reconnected: \(orders.downs)")
                #expect(await eventually { quotes.listenings > quoteListenings }, "market-data stream reconnected: \(quotes.downs)")
            }
        }
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
