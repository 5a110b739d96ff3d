import Foundation
import TradingCore

/// The start-up check, run by `bulwark doctor` and before trading starts: one call to each endpoint
/// Bulwark depends on, each decoded through its contract. AUTH means the configuration is wrong
/// (FAILED_CONFIG); SCHEMA means the API no longer matches this build (FAILED_API_SCHEMA); either means
/// no trading.
public enum CompatibilityCheck {
    public struct Line: Sendable {
        public var endpoint: String
        /// A short description of what came back, or the classified failure.
        public var result: Result<String, APIError>

        public var text: String {
            switch result {
            case .success(let detail): "ok    \(endpoint): \(detail)"
            case .failure(let error): "fail  \(endpoint): \(error.errorClass.rawValue) \(error.message)"
            }
        }
    }

    public struct Report: Sendable {
        public var lines: [Line]

        public var passed: Bool { lines.allSatisfy { if case .success = $0.result { true } else { false } } }

        /// Why trading must not start: AUTH → FAILED_CONFIG, SCHEMA → FAILED_API_SCHEMA (AUTH first);
        /// nil when every failure is transient or unknown (or none failed).
        public var failureReason: FailureReason? {
            let classes = lines.compactMap { line -> APIErrorClass? in
                if case .failure(let error) = line.result { return error.errorClass }
                return nil
            }
            if classes.contains(.auth) { return .config }
            if classes.contains(.schema) { return .apiSchema }
            return nil
        }
    }

    public static func run(
        trading: AlpacaTradingClient, marketData: AlpacaMarketDataClient, flow: UnusualWhalesClient, quoteSymbol: Symbol
    ) async -> Report {
        var lines: [Line] = []
        func record(_ endpoint: String, _ body: () async throws(APIError) -> String) async {
            do {
                lines.append(Line(endpoint: endpoint, result: .success(try await body())))
            } catch {
                lines.append(Line(endpoint: endpoint, result: .failure(error)))
            }
        }
        await record("GET /v2/account") { () throws(APIError) in
            let account = try await trading.accountDetails()
            return "account \(account.status), equity \(account.equity) \(account.currency)"
        }
        await record("GET /v2/clock") { () throws(APIError) in
            let clock = try await trading.clock()
            return "market \(clock.isOpen ? "open" : "closed")"
        }
        await record("GET /v2/positions") { () throws(APIError) in
            "\(try await trading.positionDetails().count) position(s)"
        }
        await record("GET /v2/stocks/{symbol}/quotes/latest") { () throws(APIError) in
            let quote = try await marketData.latestQuote(quoteSymbol)
            return "\(quoteSymbol) bid \(quote.bid) ask \(quote.ask)"
        }
        await record("GET /api/option-trades/flow-alerts") { () throws(APIError) in
            "\(try await flow.flowAlerts(limit: 1).count) alert(s)"
        }
        return Report(lines: lines)
    }
}
