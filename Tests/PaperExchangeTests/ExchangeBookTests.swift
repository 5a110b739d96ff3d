import Foundation
import PaperExchange
import Primitives
import Testing

/// The book's rules without HTTP: fills, positions, cash and buying power, expiry, refusals.
struct ExchangeBookTests {
    private let start = Harness.start
    private let aapl = Symbol("AAPL")!

    private func book(seed: UInt64 = 5, multiplier: Decimal = 2) -> ExchangeBook {
        var book = ExchangeBook(configuration: .init(seed: seed, marginMultiplier: multiplier), createdAt: start)
        book.advance(to: start)
        return book
    }

    /// A new margin account has its cash as equity and twice that as buying power; a cash account once.
    @Test func newAccount() {
        let margin = book().accountFigures
        #expect(margin.cash == 100_000 && margin.equity == 100_000 && margin.buyingPower == 200_000)
        #expect(book(multiplier: 1).accountFigures.buyingPower == 100_000)
    }

    /// A round trip buys at the ask and sells at the bid; cash changes by exactly the fills.
    @Test func roundTripCash() throws {
        var book = book()
        let quote = try #require(book.market.quote(aapl))
        _ = try book.submit(OrderRequest(symbol: aapl, side: .buy, quantity: 10), now: start)
        book.advance(to: start)
        #expect(book.position(for: aapl)?.quantity == 10)
        #expect(book.position(for: aapl)?.averageEntryPrice == quote.ask)
        #expect(book.cash == 100_000 - 10 * quote.ask)
        _ = try book.submit(OrderRequest(symbol: aapl, side: .sell, quantity: 10), now: start)
        book.advance(to: start)
        #expect(book.position(for: aapl) == nil)
        #expect(book.cash == 100_000 - 10 * (quote.ask - quote.bid))
        #expect(book.orders.allSatisfy { $0.status == .filled })
    }

    /// Adding to a position averages the entry price; reducing it keeps the average.
    @Test func averageEntryPrice() throws {
        var book = book()
        _ = try book.submit(OrderRequest(symbol: aapl, side: .buy, quantity: 2), now: start)
        book.advance(to: start)
        let firstPrice = try #require(book.orders.last?.filledAveragePrice)
        let later = start.advanced(by: .seconds(600))
        _ = try book.submit(OrderRequest(symbol: aapl, side: .buy, quantity: 6), now: later)
        book.advance(to: later)
        let secondPrice = try #require(book.orders.last?.filledAveragePrice)
        let expected = ((2 * firstPrice + 6 * secondPrice) / 8)
        #expect(book.position(for: aapl)?.averageEntryPrice == expected.rounded(to: 4))
        _ = try book.submit(OrderRequest(symbol: aapl, side: .sell, quantity: 3), now: later)
        book.advance(to: later)
        #expect(book.position(for: aapl)?.quantity == 5)
        #expect(book.position(for: aapl)?.averageEntryPrice == expected.rounded(to: 4))
    }

    /// A notional order buys a fractional quantity worth the amount at the ask.
    @Test func notionalOrder() throws {
        var book = book()
        let ask = try #require(book.market.quote(aapl)?.ask)
        _ = try book.submit(OrderRequest(symbol: aapl, side: .buy, notional: 1_000), now: start)
        book.advance(to: start)
        let order = try #require(book.orders.last)
        #expect(order.status == .filled)
        #expect(order.quantity == nil)
        #expect(order.filledQuantity == (1_000 / ask).rounded(to: 9) || order.filledQuantity * ask <= 1_000)
        #expect(order.filledQuantity * ask > 999)
    }

    /// Orders beyond buying power, selling more than is held, and short fractions are refused with
    /// Alpaca's status and code.
    @Test func refusals() throws {
        var book = book()
        #expect(throws: ExchangeError.insufficientBuyingPower) {
            try book.submit(OrderRequest(symbol: aapl, side: .buy, quantity: 2_000), now: start)
        }
        _ = try book.submit(OrderRequest(symbol: aapl, side: .buy, quantity: 5), now: start)
        book.advance(to: start)
        _ = try book.submit(OrderRequest(symbol: aapl, side: .sell, kind: .limit, timeInForce: .gtc, quantity: 4, limitPrice: 999), now: start)
        let tooMany = #expect(throws: ExchangeError.self) {
            try book.submit(OrderRequest(symbol: aapl, side: .sell, quantity: 2), now: start)
        }
        #expect(tooMany?.status == 403 && tooMany?.code == 40_310_000)
        #expect(tooMany?.message == "insufficient qty available for order (requested: 2, available: 1)")
        #expect(book.position(for: aapl)?.availableQuantity == 1)
        let shortFraction = #expect(throws: ExchangeError.self) {
            try book.submit(OrderRequest(symbol: Symbol("MSFT")!, side: .sell, quantity: Decimal(string: "0.5")!), now: start)
        }
        #expect(shortFraction?.status == 422)
    }

    /// Short selling opens a negative position; buying it back closes it.
    @Test func shortAndCover() throws {
        var book = book()
        let msft = Symbol("MSFT")!
        let bid = try #require(book.market.quote(msft)?.bid)
        _ = try book.submit(OrderRequest(symbol: msft, side: .sell, quantity: 3), now: start)
        book.advance(to: start)
        let short = try #require(book.position(for: msft))
        #expect(short.quantity == -3 && !short.isLong && short.marketValue < 0)
        #expect(book.cash == 100_000 + 3 * bid)
        #expect(book.orders.last?.positionIntent == "sell_to_open")
        _ = try book.submit(OrderRequest(symbol: msft, side: .buy, quantity: 3), now: start)
        book.advance(to: start)
        #expect(book.position(for: msft) == nil)
        #expect(book.orders.last?.positionIntent == "buy_to_close")
    }

    /// A resting buy limit holds buying power until it fills or is canceled.
    @Test func restingOrderReservesBuyingPower() throws {
        var book = book()
        let order = try book.submit(
            OrderRequest(symbol: aapl, side: .buy, kind: .limit, timeInForce: .gtc, quantity: 100, limitPrice: 100), now: start)
        book.advance(to: start)
        #expect(book.order(id: order.id)?.status == .new)
        #expect(book.accountFigures.buyingPower == Decimal(190_000), "200,000 less 100 × $100 held by the order")
        try book.cancel(orderID: order.id, now: start)
        #expect(book.accountFigures.buyingPower == Decimal(200_000))
    }

    /// A day order still resting when the session (UTC day) ends expires at midnight; a GTC one stays.
    @Test func dayOrdersExpireAtSessionEnd() throws {
        var book = book()
        let day = try book.submit(OrderRequest(symbol: aapl, side: .buy, kind: .limit, timeInForce: .day, quantity: 1, limitPrice: 5), now: start)
        let gtc = try book.submit(OrderRequest(symbol: aapl, side: .buy, kind: .limit, timeInForce: .gtc, quantity: 1, limitPrice: 5), now: start)
        book.advance(to: Timestamp(rfc3339: "2026-03-16T23:59:59Z")!)
        #expect(book.order(id: day.id)?.status == .new)
        book.advance(to: Timestamp(rfc3339: "2026-03-17T00:00:01Z")!)
        #expect(book.order(id: day.id)?.status == .expired)
        #expect(book.order(id: day.id)?.expiredAt == Timestamp(rfc3339: "2026-03-17T00:00:00Z"))
        #expect(book.order(id: gtc.id)?.status == .new)
    }

    /// A resting sell limit fills at its limit when the bid rises to it, and never below.
    @Test func restingSellFillsAtLimit() throws {
        var book = book()
        _ = try book.submit(OrderRequest(symbol: aapl, side: .buy, quantity: 2), now: start)
        book.advance(to: start)
        let bid = try #require(book.market.quote(aapl)?.bid)
        let limit = bid + Decimal(string: "0.25")!
        let sell = try book.submit(OrderRequest(symbol: aapl, side: .sell, kind: .limit, timeInForce: .gtc, quantity: 2, limitPrice: limit), now: start)
        var time = start
        var minutes = 0
        while book.order(id: sell.id)?.status != .filled && minutes < 24 * 60 {
            time = time.advanced(by: .seconds(60))
            minutes += 1
            book.advance(to: time)
        }
        #expect(book.order(id: sell.id)?.status == .filled)
        #expect(book.order(id: sell.id)?.filledAveragePrice == limit)
        #expect(book.position(for: aapl) == nil)
    }

    /// The same seed and times give the same book; another seed gives another market.
    @Test func deterministic() throws {
        func run(seed: UInt64) throws -> BookState {
            var book = ExchangeBook(configuration: .init(seed: seed), createdAt: start)
            book.advance(to: start)
            _ = try book.submit(OrderRequest(symbol: aapl, side: .buy, quantity: 3), now: start)
            _ = try book.submit(OrderRequest(symbol: Symbol("SPY")!, side: .buy, kind: .limit, timeInForce: .gtc, quantity: 1, limitPrice: 555), now: start)
            book.advance(to: start.advanced(by: .seconds(3_000)))
            return book.state
        }
        #expect(try run(seed: 9) == run(seed: 9))
        #expect(try run(seed: 9).market != run(seed: 10).market)
    }

    /// After a gap longer than the catch-up window the market resumes where it stopped, quickly.
    @Test func longGapIsNotReplayed() {
        var book = book()
        let stepsBefore = book.market.steps
        book.advance(to: start.advanced(by: .seconds(30 * 86_400)))
        #expect(book.market.steps - stepsBefore == 7_200)
        #expect(book.market.lastStepTime <= start.advanced(by: .seconds(30 * 86_400)))
    }
}
