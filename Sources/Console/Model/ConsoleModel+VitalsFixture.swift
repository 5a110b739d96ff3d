import Foundation
import Primitives
import TradingModel

extension ConsoleModel {
    /// The vital signs of the fixture session (10 s before its clock): figures of every kind, two open
    /// orders, a flow poll 10 minutes old and a reconciliation an hour old (both past their warning
    /// thresholds), and the flow API failing.
    static func fixtureVitals() -> VitalSigns {
        let start = fixtureStart
        func at(_ offset: Int64) -> Timestamp { start.advanced(by: .seconds(offset)) }
        return VitalSigns(
            equity: Decimal(string: "101093.50")!, cash: 40_000, buyingPower: 150_000, realizedToday: Decimal(string: "12.50")!,
            realizedTotal: Decimal(string: "-340.25")!, unrealized: Decimal(string: "7.50")!, exposure: Decimal(string: "10636.86")!,
            exposureLimit: Decimal(string: "0.30")!, lastFlowAlert: at(2_950), lastPoll: at(3_000), lastQuote: at(3_590), heartbeat: at(3_599),
            lastReconciliation: at(2),
            apis: [
                APIVitals(api: "alpaca", calls: 60, errors: 0, p50: .microseconds(420), p99: .microseconds(2_150), lastSuccess: at(3_599)),
                APIVitals(api: "alpaca-data", calls: 30, errors: 0, p50: .microseconds(1_100), p99: .milliseconds(31), lastSuccess: at(3_590)),
                APIVitals(api: "unusual-whales", calls: 12, errors: 12, p50: .seconds(5), p99: .seconds(10), lastSuccess: at(3_000)),
            ],
            openOrders: [
                OpenOrder(
                    clientOrderID: "bw-2", symbol: fixtureSymbol(3), side: .sell, quantity: 3, limitPrice: nil, status: .partiallyFilled,
                    submittedAt: at(3_570)),
                OpenOrder(
                    clientOrderID: "bw-3", symbol: fixtureSymbol(0), side: .buy, quantity: 5, limitPrice: Decimal(string: "187.25")!, status: .submitted,
                    submittedAt: at(3_580)),
            ])
    }
}
