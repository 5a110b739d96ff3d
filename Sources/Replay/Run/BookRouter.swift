import Foundation
import PaperExchange
import Primitives
import Synchronization
import TradingModel

/// The executor's `OrderRouter` over the paper exchange's book, in process: no HTTP, no server. Orders
/// are submitted to the book and matched at once against the replayed quotes (pinned into the book),
/// at the simulated clock's time.
public final class BookRouter: OrderRouter {
    private let book: Mutex<ExchangeBook>
    private let clock: SimulatedClock
    private let session: TradingSession

    /// A fresh account with `startingCash`, listing `symbols`, matching in `session`.
    public init(symbols: [Symbol], startingCash: Decimal, session: TradingSession, clock: SimulatedClock) {
        var book = ExchangeBook(
            configuration: ExchangeBook.Configuration(
                // The walk is not used (every quote is pinned): it steps once an hour, not once a second.
                seed: 0, symbols: symbols, startingCash: startingCash, quoteInterval: .seconds(3_600), warmUp: .zero, closedOrdersKept: 20,
                session: session),
            createdAt: clock.now)
        book.advance(to: clock.now)
        self.book = Mutex(book)
        self.clock = clock
        self.session = session
    }

    /// The recorded quote is the book's top of book from now on; resting orders it reaches fill.
    public func pin(_ quote: Quote) {
        book.withLock { $0.pinQuote(quote.symbol, bid: quote.bid, ask: quote.ask, at: quote.timestamp) }
    }

    /// The account as the broker reports it: equity at the pinned quotes, cash, buying power.
    public func account() -> AccountSnapshot {
        let figures = book.withLock { $0.accountFigures }
        return AccountSnapshot(equity: figures.equity, cash: figures.cash, buyingPower: figures.buyingPower)
    }

    public func submit(_ intent: OrderIntent) async throws -> BrokerOrder {
        let now = clock.now
        let request = OrderRequest(
            symbol: intent.symbol, side: intent.side, kind: intent.limitPrice == nil ? .market : .limit, timeInForce: .day,
            quantity: intent.quantity, limitPrice: intent.limitPrice, clientOrderID: intent.clientOrderID)
        let result: Result<PaperOrder, ExchangeError> = book.withLock { book -> Result<PaperOrder, ExchangeError> in
            do throws(ExchangeError) {
                let order = try book.submit(request, now: now)
                book.advance(to: now)
                return .success(book.order(id: order.id) ?? order)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let order): return Self.brokerOrder(order)
        case .failure(let error): throw OrderRefusal(reason: error.message)
        }
    }

    public func order(brokerOrderID: String) async throws -> BrokerOrder {
        let now = clock.now
        let order = book.withLock { book in
            book.advance(to: now)
            return book.order(id: brokerOrderID)
        }
        guard let order else { throw OrderRefusal(reason: "order \(brokerOrderID) not found") }
        return Self.brokerOrder(order)
    }

    public func cancel(brokerOrderID: String) async throws {
        let now = clock.now
        let refusal: ExchangeError? = book.withLock { book -> ExchangeError? in
            do throws(ExchangeError) {
                try book.cancel(orderID: brokerOrderID, now: now)
                return nil
            } catch {
                return error
            }
        }
        if let refusal { throw OrderRefusal(reason: refusal.message) }
    }

    public func isMarketOpen() async throws -> Bool { marketIsOpen }

    /// Whether the recording's session is open at the simulated time: known in process, never an error.
    public var marketIsOpen: Bool { session == .always || MarketCalendar.isOpen(at: clock.now) }

    static func brokerOrder(_ order: PaperOrder) -> BrokerOrder {
        let status: BrokerOrder.Status =
            switch order.status {
            case .accepted, .new: .open
            case .filled: .filled
            case .canceled, .replaced: .canceled
            case .expired: .expired
            }
        return BrokerOrder(
            clientOrderID: order.clientOrderID, brokerOrderID: order.id, symbol: order.symbol, side: order.side,
            quantity: order.quantity ?? order.filledQuantity, filledQuantity: order.filledQuantity,
            filledAveragePrice: order.filledAveragePrice, limitPrice: order.limitPrice, status: status)
    }
}
