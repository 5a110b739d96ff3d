import Foundation
import Primitives
import Strategies
import TradingModel

/// The HTTP clients behind the model's protocols (`Broker`, `OrderRouter`, `FlowSource`, `QuoteSource`), so the engine never sees HTTP.
public struct AlpacaOrderRouter: OrderRouter {
    private let client: AlpacaTradingClient
    private let submitter: OrderSubmitter

    public init(client: AlpacaTradingClient, submitter: OrderSubmitter) {
        self.client = client
        self.submitter = submitter
    }

    /// Refusals of the broker come out as `OrderRefusal`; anything else means the outcome is unknown.
    public func submit(_ intent: OrderIntent) async throws -> BrokerOrder {
        let accepted: OrderSubmitter.Accepted
        do {
            accepted = try await submitter.submit(intent)
        } catch {
            if case .api(let apiError) = error, case .orderRefused = apiError.kind {
                throw OrderRefusal(reason: apiError.message)
            }
            throw error
        }
        return try AlpacaTradingClient.brokerOrder(accepted.order, endpoint: "POST /v2/orders")
    }

    public func order(brokerOrderID: String) async throws -> BrokerOrder {
        try AlpacaTradingClient.brokerOrder(try await client.order(id: brokerOrderID), endpoint: "GET /v2/orders/{id}")
    }

    public func cancel(brokerOrderID: String) async throws {
        try await client.cancel(orderID: brokerOrderID)
    }

    public func isMarketOpen() async throws -> Bool {
        try await client.clock().isOpen
    }
}

extension AlpacaMarketDataClient: QuoteSource {}

extension UnusualWhalesClient: FlowSource {
    /// Alerts as signals; those with an unknown option type or a ticker that is not a stock symbol are
    /// left out (they cannot be traded), never guessed at.
    public func signals(newerThan: Timestamp?, limit: Int) async throws -> [FlowSignal] {
        try await flowAlerts(newerThan: newerThan, limit: limit).compactMap(\.signal)
    }
}

extension UWFlowAlert {
    public var signal: FlowSignal? {
        guard let symbol = Symbol(ticker) else { return nil }
        let kind: FlowSignal.Kind
        switch type {
        case .call: kind = .call
        case .put: kind = .put
        case .unknown: return nil
        }
        return FlowSignal(id: id, symbol: symbol, kind: kind, totalPremium: totalPremium, askSideShare: askSideShare, createdAt: createdAt)
    }
}
