import Console
import Foundation
import Primitives
import Testing
import TradingModel

/// Golden frames of a stalled core: the heartbeat and the flow poll past their thresholds, the exposure
/// at its limit, an API failing, open orders waiting — painted in colour, mono and ASCII.
struct VitalsGoldenTests {
    static func stalled() -> ConsoleModel {
        func at(_ offset: Int64) -> Timestamp { Fixture.start.advanced(by: .seconds(offset)) }
        let signs = VitalSigns(
            equity: Fixture.decimal("101093.50"), cash: Fixture.decimal("1200"), buyingPower: Fixture.decimal("2400"), realizedToday: Fixture.decimal("-250"),
            realizedTotal: Fixture.decimal("1250.75"), unrealized: Fixture.decimal("-80.10"), exposure: Fixture.decimal("31000"),
            exposureLimit: Fixture.decimal("0.30"), lastFlowAlert: at(1_200), lastPoll: at(3_420), lastQuote: at(3_598), heartbeat: at(3_555),
            lastReconciliation: at(3_300),
            apis: [
                APIVitals(api: "alpaca", calls: 40, errors: 40, p50: .seconds(10), p99: .seconds(10)),
                APIVitals(api: "alpaca-data", calls: 20, errors: 0, p50: .microseconds(800), p99: .milliseconds(4)),
                APIVitals(api: "unusual-whales", calls: 0, errors: 0),
            ],
            openOrders: [
                OpenOrder(clientOrderID: "bw-0", symbol: Fixture.symbol("AAPL"), side: .buy, quantity: 1, limitPrice: 100, status: .pending, submittedAt: at(3_400)),
                OpenOrder(clientOrderID: "bw-1", symbol: Fixture.symbol("MSFT"), side: .sell, quantity: 2, limitPrice: 101, status: .submitted, submittedAt: at(3_460)),
                OpenOrder(clientOrderID: "bw-2", symbol: Fixture.symbol("NVDA"), side: .buy, quantity: 3, limitPrice: nil, status: .submitted, submittedAt: at(3_520)),
            ])
        return Fixture.feed(Fixture.sample(), .vitals(signs))
    }

    /// Colour at 80×24, 60×20 (too small) and 200×60.
    @Test(arguments: [(80, 24), (60, 20), (200, 60)])
    func colour(width: Int, height: Int) throws {
        let frame = ConsoleView.view(Self.stalled(), size: (width, height), glyphs: .unicode)
        try PaintedGolden.check(frame, theme: .builtInDefault, capability: .twoFiftySix, "vitals-stalled-colour-\(width)x\(height)")
    }

    /// Mono at 80×24, 60×20 and 200×60.
    @Test(arguments: [(80, 24), (60, 20), (200, 60)])
    func mono(width: Int, height: Int) throws {
        let frame = ConsoleView.view(Self.stalled(), size: (width, height), glyphs: .unicode)
        try PaintedGolden.check(frame, theme: .builtInMono, capability: .none, "vitals-stalled-mono-\(width)x\(height)")
    }

    /// ASCII mono at 80×24 and 200×60.
    @Test(arguments: [(80, 24), (200, 60)])
    func asciiMono(width: Int, height: Int) throws {
        let frame = ConsoleView.view(Self.stalled(), size: (width, height), glyphs: .ascii)
        try PaintedGolden.check(frame, theme: .builtInMono, capability: .none, "vitals-stalled-ascii-mono-\(width)x\(height)")
    }
}
