import Foundation
import Primitives

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

    /// Calls every endpoint at once (so an unreachable host costs one timeout, not five) and reports
    /// them in a fixed order.
    public static func run(
        trading: AlpacaTradingClient, marketData: AlpacaMarketDataClient, flow: UnusualWhalesClient, quoteSymbol: Symbol
    ) async -> Report {
        typealias Probe = @Sendable () async throws(APIError) -> String
        let probes: [(String, Probe)] = [
            ("GET /v2/account", { () throws(APIError) in
                let account = try await trading.accountDetails()
                return "account \(account.status), equity \(account.equity) \(account.currency)"
            }),
            ("GET /v2/clock", { () throws(APIError) in
                "market \(try await trading.clock().isOpen ? "open" : "closed")"
            }),
            ("GET /v2/positions", { () throws(APIError) in
                "\(try await trading.positionDetails().count) position(s)"
            }),
            ("GET /v2/stocks/{symbol}/quotes/latest", { () throws(APIError) in
                let quote = try await marketData.latestQuote(quoteSymbol)
                return "\(quoteSymbol) bid \(quote.bid) ask \(quote.ask)"
            }),
            ("GET /api/option-trades/flow-alerts", { () throws(APIError) in
                "\(try await flow.flowAlerts(limit: 1).count) alert(s)"
            }),
        ]
        // Each probe's outcome goes into its own slot; no force unwrap of a dictionary lookup (the release
        // build crashed here with `results[index]!` nil, `do throws` inside the group's child task).
        let results = await withTaskGroup(of: (Int, Result<String, APIError>).self) { group in
            for (index, probe) in probes.enumerated() {
                let call = probe.1
                group.addTask { (index, await outcome(of: call)) }
            }
            let unanswered = APIError(kind: .failure(.unknown), api: "check", endpoint: "", message: "no answer")
            var results = [Result<String, APIError>](repeating: .failure(unanswered), count: probes.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
        return Report(lines: zip(probes, results).map { probe, result in Line(endpoint: probe.0, result: result) })
    }

    private static func outcome(of probe: @Sendable () async throws(APIError) -> String) async -> Result<String, APIError> {
        do throws(APIError) {
            return .success(try await probe())
        } catch {
            return .failure(error)
        }
    }
}
