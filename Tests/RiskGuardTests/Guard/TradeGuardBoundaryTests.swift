import Foundation
@testable import Primitives
@testable import RiskGuard
import TestSupport
import Testing
@testable import TradingModel

/// Each check just under, exactly at and just over its limit.
struct TradeGuardBoundaryTests {
    /// max_notional: quantity × price may equal the cap, not exceed it.
    @Test func maxNotional() {
        var fixture = GuardFixture()
        fixture.limits.maxNotionalPerOrder = 2000
        #expect(fixture.check(.buy, "19.99") == nil)
        #expect(fixture.check(.buy, "20") == nil)
        #expect(fixture.check(.buy, "20.01") == "max_notional")
        let rejection = fixture.evaluate(.buy, "20.01").rejection
        #expect(rejection?.limit == "2000.00 USD")
        #expect(rejection?.actual == "2001.00 USD")
    }

    /// max_position_size: the value after the order, counting what is already held.
    @Test func maxPositionSize() {
        var fixture = GuardFixture()
        fixture.limits.maxPositionSizeUSD = 500
        #expect(fixture.check(.buy, "4.99") == nil)
        #expect(fixture.check(.buy, "5") == nil)
        #expect(fixture.check(.buy, "5.01") == "max_position_size")
        fixture.hold(GuardFixture.aapl, quantity: 2)
        #expect(fixture.check(.buy, "3") == nil)
        #expect(fixture.check(.buy, "3.01") == "max_position_size")
        // A short grows by selling.
        fixture.hold(GuardFixture.aapl, quantity: -2)
        #expect(fixture.check(.sell, "3") == nil)
        #expect(fixture.check(.sell, "3.01") == "max_position_size")
    }

    /// max_exposure: the sum of absolute values after the order over equity.
    @Test func maxExposure() {
        var fixture = GuardFixture()
        fixture.context.equity = 10_000
        fixture.limits.maxPortfolioExposurePct = Decimal(string: "0.30")!
        fixture.hold(GuardFixture.msft, quantity: -25)  // |−2500| counts as exposure
        #expect(fixture.check(.buy, "4.99") == nil)
        #expect(fixture.check(.buy, "5") == nil)
        #expect(fixture.check(.buy, "5.01") == "max_exposure")
        #expect(fixture.evaluate(.buy, "5.01").rejection?.actual == "30.01%")
    }

    /// Non-positive equity refuses any new exposure.
    @Test func zeroEquity() {
        var fixture = GuardFixture()
        fixture.context.equity = 0
        #expect(fixture.check(.buy, "1") == "max_exposure")
    }

    /// max_concentration: one symbol's absolute value after the order over equity.
    @Test func maxConcentration() {
        var fixture = GuardFixture()
        fixture.context.equity = 10_000
        fixture.limits.maxConcentrationPerSymbolPct = Decimal(string: "0.05")!
        #expect(fixture.check(.buy, "4.99") == nil)
        #expect(fixture.check(.buy, "5") == nil)
        #expect(fixture.check(.buy, "5.01") == "max_concentration")
    }

    /// buying_power: the order's cost may use all of it, not more.
    @Test func buyingPower() {
        var fixture = GuardFixture()
        fixture.context.buyingPower = 500
        #expect(fixture.check(.buy, "4.99") == nil)
        #expect(fixture.check(.buy, "5") == nil)
        #expect(fixture.check(.buy, "5.01") == "buying_power")
    }

    /// cooldown: a trade exactly MIN_COOLDOWN_MINUTES after the last one is allowed, a moment earlier is not.
    @Test func cooldown() {
        var fixture = GuardFixture()
        let now = GuardFixture.now
        fixture.context.lastTradeAt[GuardFixture.aapl] = now.advanced(by: .seconds(-300) + .milliseconds(1))
        #expect(fixture.check(.buy, "1") == "cooldown")
        fixture.context.lastTradeAt[GuardFixture.aapl] = now.advanced(by: .seconds(-300))
        #expect(fixture.check(.buy, "1") == nil)
        fixture.context.lastTradeAt[GuardFixture.aapl] = now.advanced(by: .seconds(-301))
        #expect(fixture.check(.buy, "1") == nil)
        fixture.context.lastTradeAt[GuardFixture.aapl] = now.advanced(by: .seconds(-60))
        let rejection = fixture.evaluate(.buy, "1").rejection
        #expect(rejection?.limit == "≥ 300s")
        #expect(rejection?.actual == "60s")
        // Another symbol is not cooled down.
        fixture.context.quotes[GuardFixture.msft] = Quote(symbol: GuardFixture.msft, bid: 100, ask: 100, timestamp: now)
        #expect(fixture.check(.buy, "1", symbol: "MSFT") == nil)
    }

    /// price_sanity: within ±MAX_PRICE_DEVIATION_PCT of the mid, inclusive.
    @Test func priceDeviation() {
        let fixture = GuardFixture()  // mid 100.00
        #expect(fixture.check(.buy, "1", limit: "104.99") == nil)
        #expect(fixture.check(.buy, "1", limit: "105") == nil)
        #expect(fixture.check(.buy, "1", limit: "105.01") == "price_sanity")
        #expect(fixture.check(.sell, "1", limit: "95") == nil)
        #expect(fixture.check(.sell, "1", limit: "94.99") == "price_sanity")
        // A market order is judged at its expected fill: the ask for a buy.
        #expect(fixture.check(.buy, "1", limit: nil) == nil)
    }

    /// price_sanity: a quote exactly QUOTE_MAX_AGE_SECONDS old is usable, older is stale, none is refused.
    @Test func staleAndMissingQuotes() {
        var fixture = GuardFixture()
        let quote = fixture.context.quotes[GuardFixture.aapl]!
        fixture.context.quotes[GuardFixture.aapl]!.timestamp = GuardFixture.now.advanced(by: .seconds(-60))
        #expect(fixture.check(.buy, "1") == nil)
        fixture.context.quotes[GuardFixture.aapl]!.timestamp = GuardFixture.now.advanced(by: .seconds(-60) - .milliseconds(1))
        #expect(fixture.check(.buy, "1") == "price_sanity")
        #expect(fixture.evaluate(.buy, "1").rejection?.message.contains("stale") == true)
        fixture.context.quotes[GuardFixture.aapl] = nil
        #expect(fixture.check(.buy, "1") == "price_sanity")
        #expect(fixture.evaluate(.buy, "1").rejection?.actual == "none")
        var crossed = quote
        crossed.bid = 101
        crossed.ask = 100
        fixture.context.quotes[GuardFixture.aapl] = crossed
        #expect(fixture.check(.buy, "1") == "price_sanity")
    }

    /// direction_flip: long to short (or short to long) in one order is refused; closing exactly is not.
    @Test func directionFlip() {
        var fixture = GuardFixture()
        fixture.hold(GuardFixture.aapl, quantity: 3)
        #expect(fixture.check(.sell, "3") == nil)
        #expect(fixture.check(.sell, "3.01") == "direction_flip")
        fixture.hold(GuardFixture.aapl, quantity: -3)
        #expect(fixture.check(.buy, "2.99") == nil)
        #expect(fixture.check(.buy, "4") == "direction_flip")
    }

    /// trading_state: HALTED refuses everything, exits included; REDUCING lets only exits through.
    @Test func tradingState() {
        var fixture = GuardFixture()
        fixture.hold(GuardFixture.aapl, quantity: 3)
        fixture.context.tradingMode = .halted
        #expect(fixture.check(.buy, "1") == "trading_state")
        #expect(fixture.check(.sell, "1") == "trading_state")
        fixture.context.tradingMode = .reducing
        #expect(fixture.check(.buy, "1") == "trading_state")
        #expect(fixture.check(.sell, "1") == nil)
        #expect(fixture.check(.sell, "4") == "trading_state")  // a flip does not shrink the position
        #expect(fixture.check(.buy, "1", symbol: "MSFT") == "trading_state")
    }

    /// invalid_order: bad quantities, prices and symbols.
    @Test(arguments: [
        ("AAPL", "0", "100"), ("AAPL", "-1", "100"), ("AAPL", "1", "0"), ("AAPL", "1", "-5"),
        ("", "1", "100"), ("aapl", "1", "100"), ("TOOLONGSYMBOL", "1", "100"), ("A..B", "1", "100"), ("AAPL ", "1", "100"),
    ])
    func invalidOrder(symbol: String, quantity: String, limit: String) {
        #expect(GuardFixture().check(.buy, quantity, limit: limit, symbol: symbol) == "invalid_order")
    }

    /// invalid_order: a NaN quantity or price.
    @Test func notANumber() {
        let guardian = TradeGuard(limits: GuardFixture().limits)
        let context = GuardFixture().context
        #expect(guardian.evaluate(ProposedOrder(symbol: "AAPL", side: .buy, quantity: .nan, limitPrice: 100), in: context).rejection?.check == "invalid_order")
        #expect(guardian.evaluate(ProposedOrder(symbol: "AAPL", side: .buy, quantity: 1, limitPrice: .nan), in: context).rejection?.check == "invalid_order")
    }

    /// Exits are never refused by position size, exposure, concentration, cooldown, notional or buying
    /// power, but still by invalid_order, trading_state and price_sanity.
    @Test func exitExemptions() {
        var fixture = GuardFixture()
        fixture.limits.maxPositionSizeUSD = 100
        fixture.limits.maxNotionalPerOrder = 100
        fixture.limits.maxPortfolioExposurePct = Decimal(string: "0.0001")!
        fixture.limits.maxConcentrationPerSymbolPct = Decimal(string: "0.0001")!
        fixture.context.buyingPower = 0
        fixture.hold(GuardFixture.aapl, quantity: 10)
        fixture.context.lastTradeAt[GuardFixture.aapl] = GuardFixture.now
        #expect(fixture.evaluate(.sell, "5") == .approved(isExit: true))
        #expect(fixture.evaluate(.sell, "10") == .approved(isExit: true))
        // The same order opening a position is refused.
        #expect(fixture.check(.buy, "5") == "cooldown")
        // Still guarded: price sanity, trading state, invalid order.
        #expect(fixture.check(.sell, "5", limit: "80") == "price_sanity")
        #expect(fixture.check(.sell, "0") == "invalid_order")
        fixture.context.tradingMode = .halted
        #expect(fixture.check(.sell, "5") == "trading_state")
    }

    /// When several checks fail, the first in GuardCheck's documented order is reported.
    @Test func firstFailingCheckInFixedOrder() {
        var fixture = GuardFixture()
        fixture.limits.maxNotionalPerOrder = 10
        fixture.limits.maxPositionSizeUSD = 10
        fixture.limits.maxPortfolioExposurePct = Decimal(string: "0.0001")!
        fixture.context.buyingPower = 0
        #expect(fixture.check(.buy, "5") == "max_notional")
        fixture.limits.maxNotionalPerOrder = 1_000_000
        #expect(fixture.check(.buy, "5") == "max_position_size")
        fixture.context.lastTradeAt[GuardFixture.aapl] = GuardFixture.now
        #expect(fixture.check(.buy, "5") == "cooldown")
        #expect(fixture.check(.buy, "5", limit: "200") == "price_sanity")
        fixture.context.tradingMode = .halted
        #expect(fixture.check(.buy, "5", limit: "200") == "trading_state")
        #expect(fixture.check(.buy, "-5", limit: "200") == "invalid_order")
        #expect(GuardCheck.allCases.map(\.rawValue) == [
            "invalid_order", "trading_state", "price_sanity", "direction_flip", "cooldown", "max_notional",
            "max_position_size", "max_exposure", "max_concentration", "buying_power",
        ])
    }

    /// A rejection carries the order's symbol, side and quantity, and a message for the operator.
    @Test func rejectionDetails() throws {
        var fixture = GuardFixture()
        fixture.limits.maxPositionSizeUSD = 500
        let rejection = try #require(fixture.evaluate(.buy, "6").rejection)
        #expect(rejection.symbol == "AAPL")
        #expect(rejection.side == .buy)
        #expect(rejection.quantity == 6)
        #expect(rejection.limit == "500.00 USD")
        #expect(rejection.actual == "600.00 USD")
        #expect(rejection.message == "position in AAPL would be worth 600.00 USD")
    }
}
