import Foundation
import Logging
import Primitives
import Settings
import TradingModel

/// The three API clients Bulwark trades with, built from the configuration's endpoints over one
/// transport, each behind its own rate limiter and, when a switchboard is given, the chaos transport.
public struct MarketConnections: Sendable {
    public let trading: AlpacaTradingClient
    public let marketData: AlpacaMarketDataClient
    public let flow: UnusualWhalesClient
    /// The trading stream (order updates pushed), on the trading API's host.
    public let tradingStream: TradingStreamClient
    /// The market-data stream (quotes pushed), on the data API's streaming host.
    public let quoteStream: MarketDataStreamClient
    /// The chaos switches the clients obey (`stream_drop` for both streams).
    public let chaos: ChaosSwitchboard?
    /// Every attempt of the last minute, per API (the vital signs' latency and errors).
    public let calls: APICallWindow

    public init(
        endpoints: BulwarkConfiguration.Endpoints, transport: any HTTPTransport, chaos: ChaosSwitchboard? = nil,
        clock: any WallClock, bus: EventBus? = nil, logger: Logger, policy: RetryPolicy = RetryPolicy(),
        alpacaRequestsPerMinute: Int = 200
    ) {
        let redactor = Redactor(secrets: [endpoints.keyID, endpoints.secretKey, endpoints.flowToken])
        let calls = APICallWindow()
        self.calls = calls
        func requester(_ api: String, _ url: URL, _ target: ChaosTransport.Target, perMinute: Int, headers: [(name: String, value: String)]) -> APIRequester {
            let routed: any HTTPTransport = chaos.map { ChaosTransport(wrapping: transport, switchboard: $0, target: target, clock: clock) } ?? transport
            return APIRequester(
                api: api, baseURL: url, headers: { headers }, transport: routed, clock: clock, policy: policy,
                rateLimiter: RateLimiter(requestsPerMinute: perMinute, clock: clock), bus: bus, logger: logger, redactor: redactor,
                calls: calls)
        }
        let alpacaHeaders = AlpacaTradingClient.authHeaders(keyID: endpoints.keyID, secretKey: endpoints.secretKey)
        trading = AlpacaTradingClient(requester: requester("alpaca", endpoints.tradingBaseURL, .broker, perMinute: alpacaRequestsPerMinute, headers: alpacaHeaders))
        marketData = AlpacaMarketDataClient(requester: requester("alpaca-data", endpoints.dataBaseURL, .marketData, perMinute: alpacaRequestsPerMinute, headers: alpacaHeaders))
        tradingStream = TradingStreamClient(tradingBaseURL: endpoints.tradingBaseURL, keyID: endpoints.keyID, secretKey: endpoints.secretKey, logger: logger)
        quoteStream = MarketDataStreamClient(dataBaseURL: endpoints.dataBaseURL, keyID: endpoints.keyID, secretKey: endpoints.secretKey, logger: logger)
        self.chaos = chaos
        flow = UnusualWhalesClient(requester: requester("unusual-whales", endpoints.flowBaseURL, .flow, perMinute: 120, headers: UnusualWhalesClient.authHeaders(token: endpoints.flowToken)))
    }

    /// The start-up compatibility check over these clients.
    public func checkCompatibility(quoteSymbol: Symbol = Symbol("SPY")!) async -> CompatibilityCheck.Report {
        await CompatibilityCheck.run(trading: trading, marketData: marketData, flow: flow, quoteSymbol: quoteSymbol)
    }
}
