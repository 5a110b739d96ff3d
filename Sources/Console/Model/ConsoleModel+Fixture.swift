import Foundation
import Logging
import Primitives
import TradingModel

extension ConsoleModel {
    /// The instant every fixture starts from: 2025-11-29 15:00:00 UTC.
    public static let fixtureStart = Timestamp.seconds(1_764_428_400)

    /// A model as a busy session would leave it, built by feeding events through `ConsoleUpdate`: four
    /// services (uw-daemon FAILED with FAILED_RESTARTS, dashboard DEGRADED), trading HALTED by the
    /// system, `positions` open positions with quotes, `rejections` guard rejections, chaos `latency` on,
    /// an equity history and a few events of every kind. Timestamps are fixed, so frames are repeatable.
    /// `bulwark bench console` uses it with 100 positions and 200 rejections; the golden tests with a few.
    public static func benchmarkFixture(positions: Int = 100, rejections: Int = 200, broker: BrokerLabel = .sim) -> ConsoleModel {
        var model = ConsoleModel(broker: broker)
        for event in fixtureEvents(positions: positions, rejections: rejections) {
            model = ConsoleUpdate.update(model, event: event)
        }
        return ConsoleUpdate.update(model, tick: fixtureStart.advanced(by: .seconds(3_600)))
    }

    /// The events behind `benchmarkFixture`, in order, with sequence numbers from 1.
    public static func fixtureEvents(positions: Int, rejections: Int) -> [Event] {
        var kinds: [(offset: Int64, kind: EventKind)] = []
        let start = fixtureStart
        kinds.append((0, .startup(StartupProgress(step: "load state", index: 1, total: 3, outcome: .succeeded, detail: "schema v3"))))
        kinds.append((1, .startup(StartupProgress(step: "check APIs", index: 2, total: 3, outcome: .succeeded, detail: ""))))
        kinds.append((2, .reconciliation(ReconciliationReport(outcome: .reconciled))))
        kinds.append((2, .startup(StartupProgress(step: "reconcile", index: 3, total: 3, outcome: .succeeded, detail: ""))))
        kinds.append((3, .tradingState(TradingState(mode: .active, reason: nil, actor: .system, since: start.advanced(by: .seconds(3))))))
        let services: [(ServiceName, HealthStatus, Bool, Int, String?, FailureReason?)] = [
            (.tradingBot, .ok, true, 0, nil, nil),
            (.uwDaemon, .failed, true, 5, "connection refused (uw api)", .restarts),
            (.dashboard, .degraded, false, 1, "bind: address in use", nil),
            (.heartbeatKeeper, .ok, false, 0, nil, nil),
        ]
        for (index, service) in services.enumerated() {
            let since = start.advanced(by: .seconds(60 * Int64(index + 1)))
            let health = ServiceHealth(
                name: service.0, status: service.1, isCritical: service.2, restarts: service.3, lastError: service.4,
                reason: service.5, since: since)
            kinds.append((60 * Int64(index + 1), .serviceStatus(health)))
        }
        kinds.append((300, .overallHealth(OverallHealth(status: .failed, reason: .restarts))))
        for index in 0..<positions {
            let symbol = fixtureSymbol(index)
            let quantity = Decimal(index % 7 == 3 ? -(index % 5 + 1) : (index % 9 + 1) * 5)
            let entry = Decimal(10_000 + index * 737 % 40_000) / 100
            let position = Position(symbol: symbol, quantity: quantity, averageEntryPrice: entry, openedAt: start.advanced(by: .seconds(Int64(400 + index))))
            kinds.append((400 + Int64(index), .positionOpened(position)))
        }
        let quotes = (0..<positions).map { index -> Quote in
            let entry = Decimal(10_000 + index * 737 % 40_000) / 100
            let move = Decimal((index * 37 % 21) - 10) / 4
            return Quote(symbol: fixtureSymbol(index), bid: entry + move - Decimal(1) / 100, ask: entry + move + Decimal(1) / 100, timestamp: start.advanced(by: .seconds(900)))
        }
        kinds.append((900, .quotes(quotes)))
        for step in 0..<60 {
            let wave = Decimal((step * 29 % 17) * 35 + step * 12) + Decimal(step % 3) / 4
            kinds.append((1_000 + Int64(step) * 30, .account(AccountSnapshot(equity: 100_000 + wave, cash: 40_000, buyingPower: 150_000))))
        }
        let checks: [(String, String, String, String)] = [
            ("max_position_size", "500.00", "612.40", "position would exceed the per-symbol cap"),
            ("cooldown", "300s", "42s", "traded this symbol 42s ago"),
            ("max_notional", "2000.00", "2450.00", "order notional above the cap"),
            ("price_sanity", "0.05", "0.0812", "limit price too far from the quote"),
            ("max_concentration", "0.15", "0.19", "symbol would be 19% of the portfolio"),
        ]
        for index in 0..<rejections {
            let check = checks[index % checks.count]
            let rejection = GuardRejection(
                symbol: fixtureSymbol(index * 3 % max(positions, 1) + (positions == 0 ? index : 0)).rawValue,
                side: index % 2 == 0 ? .buy : .sell, quantity: Decimal(index % 9 + 1), check: check.0,
                message: check.3, limit: check.1, actual: check.2)
            kinds.append((3_000 + Int64(index) * 7, .guardRejected(rejection)))
        }
        kinds.append((3_100, .orderSubmitted(OrderSubmission(clientOrderID: "bw-1", brokerOrderID: "b-1", symbol: fixtureSymbol(0), side: .buy, quantity: 5))))
        kinds.append((3_101, .orderFilled(OrderFill(clientOrderID: "bw-1", symbol: fixtureSymbol(0), side: .buy, quantity: 5, price: Decimal(18_720) / 100, isComplete: true))))
        kinds.append((3_200, .apiError(APIFailure(api: "uw", endpoint: "/api/option-trades/flow-alerts", errorClass: .network, message: "connection refused", attempt: 3, willRetry: false))))
        kinds.append((3_250, .chaosMode(.latency, enabled: true)))
        kinds.append((3_300, .log(LogLine(level: .warning, label: "supervisor", message: "uw-daemon gave up after 5 restarts in 10 minutes"))))
        kinds.append((3_400, .tradingState(TradingState(mode: .halted, reason: "critical service uw-daemon FAILED", actor: .system, since: start.advanced(by: .seconds(3_400))))))
        kinds.append((3_500, .commandResult(CommandResult(command: .resume, accepted: false, message: "uw-daemon is FAILED"))))
        kinds.append((3_590, .vitals(fixtureVitals())))
        kinds.sort { $0.offset < $1.offset }
        return kinds.enumerated().map { index, item in
            Event(sequence: UInt64(index + 1), timestamp: start.advanced(by: .seconds(item.offset)), kind: item.kind)
        }
    }

    /// Real tickers first, then `X1`, `X2`, … (all valid symbols).
    static func fixtureSymbol(_ index: Int) -> Symbol {
        let names = ["AAPL", "MSFT", "NVDA", "TSLA", "AMZN", "META", "GOOG", "AMD", "NFLX", "BRK.B"]
        let text = index < names.count ? names[index] : "X\(index)"
        return Symbol(text)!
    }
}
