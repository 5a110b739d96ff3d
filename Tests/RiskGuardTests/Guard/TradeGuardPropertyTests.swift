import Foundation
@testable import Primitives
@testable import RiskGuard
import Testing

/// Over random accounts, positions, quotes and orders: no approved order breaks a cap or flips a
/// direction, and no exit is refused by a cap.
struct TradeGuardPropertyTests {
    private struct Case {
        var limits: GuardLimits
        var context: GuardContext
        var order: ProposedOrder
        var price: Decimal
    }

    private static let symbols = (0..<12).map { Symbol("S\($0)")! }

    private static func cents(_ range: ClosedRange<Int>, _ generator: inout SeededGenerator) -> Decimal {
        Decimal(Int.random(in: range, using: &generator)) / 100
    }

    private static func makeCase(_ generator: inout SeededGenerator) -> Case {
        let now = Timestamp.seconds(1_800_000_000)
        let limits = GuardLimits(
            maxPositionSizeUSD: cents(100_00...5_000_00, &generator), maxNotionalPerOrder: cents(100_00...5_000_00, &generator),
            maxPortfolioExposurePct: cents(1...100, &generator), maxConcentrationPerSymbolPct: cents(1...100, &generator),
            maxPriceDeviationPct: cents(1...10, &generator), minCooldown: .seconds(Int.random(in: 0...600, using: &generator)),
            quoteMaxAge: .seconds(60))
        var positions: [Symbol: HeldPosition] = [:]
        var quotes: [Symbol: Quote] = [:]
        var lastTrades: [Symbol: Timestamp] = [:]
        var marks: [Symbol: Decimal] = [:]
        for symbol in symbols {
            let mid = cents(1_00...500_00, &generator)
            marks[symbol] = mid
            quotes[symbol] = Quote(symbol: symbol, bid: mid - Decimal(string: "0.01")!, ask: mid + Decimal(string: "0.01")!, timestamp: now.advanced(by: .seconds(-Int64.random(in: 0...90, using: &generator))))
            if Bool.random(using: &generator) {
                let quantity = Decimal(Int.random(in: -40...40, using: &generator))
                if quantity != 0 { positions[symbol] = HeldPosition(quantity: quantity, marketValue: quantity * mid) }
            }
            if Int.random(in: 0..<4, using: &generator) == 0 {
                lastTrades[symbol] = now.advanced(by: .seconds(-Int64.random(in: 0...900, using: &generator)))
            }
        }
        let modes: [TradingState.Mode] = [.active, .active, .active, .reducing, .halted]
        let context = GuardContext(
            equity: cents(1_000_00...200_000_00, &generator), buyingPower: cents(0...100_000_00, &generator),
            positions: positions, quotes: quotes, lastTradeAt: lastTrades,
            tradingMode: modes.randomElement(using: &generator)!, now: now)
        let symbol = symbols.randomElement(using: &generator)!
        let mid = marks[symbol]!
        let side: OrderSide = Bool.random(using: &generator) ? .buy : .sell
        // Mostly sane prices, sometimes far off.
        let offsetBasisPoints = Int.random(in: -700...700, using: &generator)
        let limitPrice: Decimal? = Bool.random(using: &generator) ? nil : mid * (1 + Decimal(offsetBasisPoints) / 10_000)
        let quantity = Decimal(Int.random(in: 1...6000, using: &generator)) / 100
        let price = limitPrice ?? (side == .buy ? quotes[symbol]!.ask : quotes[symbol]!.bid)
        return Case(limits: limits, context: context, order: ProposedOrder(symbol: symbol.rawValue, side: side, quantity: quantity, limitPrice: limitPrice), price: price)
    }

    /// Approved entries respect the position, exposure and concentration caps and never flip a direction.
    @Test func approvedOrdersRespectCaps() {
        var generator = SeededGenerator(seed: 20_261_129)
        var approvedEntries = 0
        for _ in 0..<20_000 {
            let example = Self.makeCase(&generator)
            let decision = TradeGuard(limits: example.limits).evaluate(example.order, in: example.context)
            guard case .approved(let isExit) = decision else { continue }
            let symbol = Symbol(example.order.symbol)!
            let held = example.context.positions[symbol]?.quantity ?? 0
            let after = held + (example.order.side == .buy ? example.order.quantity : -example.order.quantity)
            #expect(held == 0 || after == 0 || (held > 0) == (after > 0), "flipped \(held) → \(after)")
            #expect(example.context.tradingMode != .halted)
            if isExit {
                #expect(after.magnitude < held.magnitude)
                continue
            }
            approvedEntries += 1
            #expect(example.context.tradingMode == .active)
            let valueAfter = (after * example.price).magnitude
            #expect(valueAfter <= example.limits.maxPositionSizeUSD)
            let others = example.context.positions.filter { $0.key != symbol }.values.reduce(Decimal.zero) { $0 + $1.marketValue.magnitude }
            #expect((others + valueAfter) / example.context.equity <= example.limits.maxPortfolioExposurePct)
            #expect(valueAfter / example.context.equity <= example.limits.maxConcentrationPerSymbolPct)
            #expect(example.order.quantity * example.price <= example.context.buyingPower)
        }
        // The generator must produce enough approvals for the property to mean something.
        #expect(approvedEntries > 200, "only \(approvedEntries) entries were approved")
    }

    /// An exit is refused only by invalid_order, trading_state or price_sanity, never by a cap.
    @Test func exitsAreNeverRefusedByACap() {
        var generator = SeededGenerator(seed: 7)
        var exits = 0
        for _ in 0..<20_000 {
            var example = Self.makeCase(&generator)
            let symbol = Symbol(example.order.symbol)!
            guard let held = example.context.positions[symbol]?.quantity else { continue }
            // Make the order an exit of part or all of the position.
            example.order.side = held > 0 ? .sell : .buy
            example.order.quantity = min(example.order.quantity, held.magnitude)
            exits += 1
            let decision = TradeGuard(limits: example.limits).evaluate(example.order, in: example.context)
            if let rejection = decision.rejection {
                #expect(["invalid_order", "trading_state", "price_sanity"].contains(rejection.check), "exit refused by \(rejection.check)")
                if rejection.check == "trading_state" { #expect(example.context.tradingMode == .halted) }
            } else {
                #expect(decision == .approved(isExit: true))
            }
        }
        #expect(exits > 1000)
    }
}
