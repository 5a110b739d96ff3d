import Foundation
import Primitives

/// Alpaca's market-data API v2: latest quotes and trades. Prices are JSON numbers, read exactly.
public struct AlpacaMarketDataClient: Sendable {
    public let requester: APIRequester

    public init(requester: APIRequester) {
        self.requester = requester
    }

    public func latestQuote(_ symbol: Symbol) async throws(APIError) -> Quote {
        let latest = try await requester.get("/v2/stocks/\(symbol.rawValue)/quotes/latest", as: AlpacaLatestQuote.self)
        return latest.quote.quote(for: latest.symbol)
    }

    public func latestQuotes(_ symbols: [Symbol]) async throws(APIError) -> [Symbol: Quote] {
        guard !symbols.isEmpty else { return [:] }
        let latest = try await requester.get(
            "/v2/stocks/quotes/latest", query: [("symbols", symbols.map(\.rawValue).joined(separator: ","))], as: AlpacaLatestQuotes.self)
        var quotes: [Symbol: Quote] = [:]
        for (text, quote) in latest.quotes {
            guard let symbol = Symbol(text) else { continue }
            quotes[symbol] = quote.quote(for: symbol)
        }
        return quotes
    }

    public func latestTrade(_ symbol: Symbol) async throws(APIError) -> AlpacaLatestTrade.Trade {
        try await requester.get("/v2/stocks/\(symbol.rawValue)/trades/latest", as: AlpacaLatestTrade.self).trade
    }
}

/// Unusual Whales: options-flow alerts. The token travels only in `Authorization: Bearer`.
public struct UnusualWhalesClient: Sendable {
    public let requester: APIRequester

    public init(requester: APIRequester) {
        self.requester = requester
    }

    public static func authHeaders(token: Secret) -> [(name: String, value: String)] {
        [("Authorization", "Bearer \(token.exposedValue)"), ("Accept", "application/json")]
    }

    /// Alerts newest first; `newerThan` pages forward from the last one processed.
    public func flowAlerts(ticker: Symbol? = nil, newerThan: Timestamp? = nil, limit: Int = 100) async throws(APIError) -> [UWFlowAlert] {
        var query = [("limit", "\(min(max(limit, 1), 200))")]
        if let ticker { query.append(("ticker_symbol", ticker.rawValue)) }
        if let newerThan { query.append(("newer_than", newerThan.rfc3339)) }
        return try await requester.get("/api/option-trades/flow-alerts", query: query, as: FlowAlertPage.self).data
    }
}
