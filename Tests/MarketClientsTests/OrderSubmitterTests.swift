import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import MarketClients
import Persistence
import Primitives

/// A tiny Alpaca order book behind a transport, with a scripted fault for the next POST.
final class FakeOrderBook: HTTPTransport {
    enum Fault: Sendable {
        case none
        /// Record the order, then drop the connection before answering.
        case resetAfterRecording
        /// Drop the connection before the order is recorded.
        case resetBeforeRecording
        case status(Int, String)
    }

    private struct State {
        var orders: [String: String] = [:]  // client order id → order JSON
        var faults: [Fault] = []
        var posts: [String] = []
    }

    private let state = Mutex(State())

    func failNextPosts(_ faults: [Fault]) { state.withLock { $0.faults = faults } }
    var orderCount: Int { state.withLock { $0.orders.count } }
    var postedClientOrderIDs: [String] { state.withLock { $0.posts } }

    func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        try handle(request)
    }

    private func handle(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        if request.method == "POST" {
            let body = (try? JSONSerialization.jsonObject(with: Data(request.body ?? [])) as? [String: Any]) ?? [:]
            let id = body["client_order_id"] as? String ?? ""
            let fault = state.withLock { state -> Fault in
                state.posts.append(id)
                return state.faults.isEmpty ? .none : state.faults.removeFirst()
            }
            switch fault {
            case .resetBeforeRecording:
                throw TransportError(.connectionReset)
            case .status(let status, let text):
                return .json(status, text)
            case .none, .resetAfterRecording:
                let recorded: String? = state.withLock { state in
                    if state.orders[id] != nil { return nil }
                    let order = Self.order(id: id, symbol: body["symbol"] as? String ?? "AAPL", qty: body["qty"] as? String ?? "1")
                    state.orders[id] = order
                    return order
                }
                guard let recorded else {
                    return .json(422, #"{"code":40010001,"message":"client_order_id must be unique"}"#)
                }
                if case .resetAfterRecording = fault { throw TransportError(.connectionReset) }
                return .json(200, recorded)
            }
        }
        if request.url.path.hasSuffix("/v2/orders:by_client_order_id") {
            let id = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "client_order_id" }?.value ?? ""
            if let order = state.withLock({ $0.orders[id] }) { return .json(200, order) }
            return .json(404, #"{"code":40410000,"message":"order not found"}"#)
        }
        return .json(404, #"{"code":40410000,"message":"no route"}"#)
    }

    static func order(id: String, symbol: String, qty: String) -> String {
        """
        {"id":"order-\(id)","client_order_id":"\(id)","symbol":"\(symbol)","side":"buy","type":"limit","order_class":"simple",
         "status":"accepted","qty":"\(qty)","notional":null,"filled_qty":"0","filled_avg_price":null,"limit_price":"100",
         "time_in_force":"day","created_at":"2026-01-05T14:30:00Z","filled_at":null,"canceled_at":null}
        """
    }
}

struct OrderSubmitterTests {
    private struct Setup {
        let book = FakeOrderBook()
        let clock = ManualClock()
        let store: StateStore
        let submitter: OrderSubmitter
        let intent: OrderIntent

        init(directory: String, saveIntent: Bool = true) throws {
            let log = LogCapture()
            store = try StateStore(directory: directory, clock: clock, logger: log.logger)
            let client = AlpacaTradingClient(requester: makeRequester(book, clock: clock, log: log))
            submitter = OrderSubmitter(client: client, ledger: store, clock: clock, logger: log.logger)
            intent = OrderIntent(clientOrderID: OrderIntent.newClientOrderID(), symbol: Symbol("AAPL")!, side: .buy, quantity: 3, limitPrice: 100, createdAt: clock.now)
            if saveIntent { try store.update { $0.recordIntent(intent) } }
        }

        func submit() async throws -> OrderSubmitter.Accepted {
            let submitter = submitter
            let intent = intent
            return try await drive(clock) { try await submitter.submit(intent) }
        }
    }

    /// A plain submission is acknowledged once.
    @Test func accepted() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            let accepted = try await setup.submit()
            #expect(!accepted.adopted && accepted.submissions == 1)
            #expect(setup.book.orderCount == 1)
        }
    }

    /// The connection drops after the broker recorded the order: it is looked up and adopted — exactly one order.
    @Test func resetAfterRecordingIsAdopted() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            setup.book.failNextPosts([.resetAfterRecording])
            let accepted = try await setup.submit()
            #expect(accepted.adopted)
            #expect(accepted.order.clientOrderID == setup.intent.clientOrderID)
            #expect(setup.book.orderCount == 1)
            #expect(setup.book.postedClientOrderIDs == [setup.intent.clientOrderID])
        }
    }

    /// The connection drops before the order was recorded: the lookup finds nothing and the order is sent
    /// again with the same client order id — exactly one order.
    @Test func resetBeforeRecordingIsResentWithTheSameID() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            setup.book.failNextPosts([.resetBeforeRecording, .status(503, "")])
            let accepted = try await setup.submit()
            #expect(!accepted.adopted && accepted.submissions == 3)
            #expect(setup.book.orderCount == 1)
            #expect(setup.book.postedClientOrderIDs == Array(repeating: setup.intent.clientOrderID, count: 3))
        }
    }

    /// A 422 "client_order_id must be unique" means an earlier attempt got through: it is adopted.
    @Test func duplicateIDIsAdopted() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            _ = try await setup.submit()
            let again = try await setup.submit()
            #expect(again.adopted)
            #expect(setup.book.orderCount == 1)
        }
    }

    /// A business refusal is reported as such and not retried.
    @Test func refusalIsNotRetried() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory)
            setup.book.failNextPosts([.status(403, #"{"code":40310000,"message":"insufficient buying power"}"#)])
            await #expect {
                try await setup.submit()
            } throws: { error in
                guard case .api(let apiError) = error as? OrderSubmitter.Failure else { return false }
                return apiError.kind == .orderRefused(code: 40310000) && apiError.message == "insufficient buying power"
            }
            #expect(setup.book.postedClientOrderIDs.count == 1)
        }
    }

    /// An intent that is not saved in the state store is never sent.
    @Test func unsavedIntentIsNotSent() async throws {
        try await withTemporaryDirectory { directory in
            let setup = try Setup(directory: directory, saveIntent: false)
            await #expect {
                try await setup.submit()
            } throws: { error in
                if case .intentNotSaved = error as? OrderSubmitter.Failure { return true }
                return false
            }
            #expect(setup.book.postedClientOrderIDs.isEmpty)
        }
    }
}
