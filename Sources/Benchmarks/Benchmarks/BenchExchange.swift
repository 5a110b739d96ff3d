import Foundation
import Logging
import MarketClients
import PaperExchange
import Primitives
import RiskGuard
import Settings

/// A seeded paper exchange on a loopback port, unthrottled, with Bulwark's own clients pointed at it over
/// HTTP: what the pipeline and exit benchmarks drive. The caller cancels `serverTask` and shuts
/// `transport` down when done.
struct BenchExchange {
    let connections: MarketConnections
    let serverTask: Task<Void, any Error>
    let transport: AsyncHTTPTransport

    static func start(
        seed: UInt64, keyID: String, secret: String, clock: any WallClock, logger: Logger, quoteInterval: Duration = .milliseconds(500)
    ) async throws -> BenchExchange {
        let keyID = Secret(keyID)
        let secret = Secret(secret)
        let server = try ExchangeServer(
            options: ExchangeServer.Options(
                keyID: keyID, secretKey: secret, book: ExchangeBook.Configuration(seed: seed, quoteInterval: quoteInterval), rateLimitPerMinute: 1_000_000),
            clock: clock, logger: logger)
        let serverTask = Task { try await server.run() }
        let port: Int
        do {
            port = try await server.boundPort()
        } catch {
            serverTask.cancel()
            throw error
        }
        let url = URL(string: "http://127.0.0.1:\(port)")!
        let transport = AsyncHTTPTransport()
        let connections = MarketConnections(
            endpoints: BulwarkConfiguration.Endpoints(tradingBaseURL: url, dataBaseURL: url, keyID: keyID, secretKey: secret, flowBaseURL: url, flowToken: secret),
            transport: transport, clock: clock, logger: logger, alpacaRequestsPerMinute: 1_000_000)
        return BenchExchange(connections: connections, serverTask: serverTask, transport: transport)
    }

    /// Guard limits that never bind but the price check (`maxPriceDeviationPct`) and the quote age: the
    /// benchmarks measure the path, not the limits.
    static func openLimits(maxPriceDeviationPct: Decimal) -> GuardLimits {
        GuardLimits(
            maxPositionSizeUSD: 1_000_000, maxNotionalPerOrder: 1_000_000, maxPortfolioExposurePct: 1, maxConcentrationPerSymbolPct: 1,
            maxPriceDeviationPct: maxPriceDeviationPct, minCooldown: .zero, quoteMaxAge: .seconds(60))
    }
}
