import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Primitives
import Synchronization

extension ExchangeServer {
    func makeRouter() -> Router<ExchangeRequestContext> {
        let router = Router(context: ExchangeRequestContext.self)
        router.add(
            middleware: NotFoundMiddleware { [self] request, context, status in
                try await serve(request, context, route: "unknown", audience: .alpaca) { _, _ in
                    throw ExchangeError(status: status, code: status == 404 ? 40_410_000 : 40_510_000, message: "endpoint not found")
                }
            })
        addTradingRoutes(router)
        addMarketDataRoutes(router)
        addBulkOrderRoutes(router)
        addAccountRoutes(router)
        addHistoryRoutes(router)
        route(router, .get, "/api/option-trades/flow-alerts", .flow) { request, _, desk in
            let query = request.uri.queryParameters
            let ticker = try query.get("ticker_symbol").map { text throws(ExchangeError) in
                guard let symbol = Symbol(text.uppercased()) else { throw ExchangeError(status: 422, code: 422, message: "invalid ticker_symbol: \(displayExcerpt(text))") }
                return symbol
            }
            let newerThan = try query.get("newer_than").map { text throws(ExchangeError) in
                guard let time = FlowQuery.time(text) else {
                    throw ExchangeError(status: 422, code: 422, message: "invalid newer_than: \(displayExcerpt(text)) (unix seconds or milliseconds, or an ISO date)")
                }
                return time
            }
            let limit = try FlowQuery.limit(query.get("limit"))
            let alerts = try desk.transact { book, _ in book.flowAlerts(ticker: ticker, newerThan: newerThan, limit: limit) }
            return .ok(.object(["data": .array(alerts.map(\.json))]))
        }
        if options.faultControls { addFaultRoutes(router) }
        return router
    }

    /// Registers `path` for `method`, served through the gate.
    func route(
        _ router: Router<ExchangeRequestContext>, _ method: HTTPRequest.Method, _ path: String, _ audience: Audience,
        _ handler: @escaping @Sendable (Request, ExchangeRequestContext, ExchangeDesk) async throws -> Reply
    ) {
        let name = "\(method.rawValue) \(path)"
        router.on(RouterPath(path), method: method) { [self] request, context in
            try await serve(request, context, route: name, audience: audience) { request, context in
                try await handler(request, context, desk)
            }
        }
    }

    private func addTradingRoutes(_ router: Router<ExchangeRequestContext>) {
        route(router, .get, "/v2/account", .alpaca) { _, _, desk in
            .ok(try desk.transact { book, _ in AlpacaJSON.account(book) })
        }
        route(router, .get, "/v2/clock", .alpaca) { _, _, desk in
            .ok(try desk.transact { book, now in AlpacaJSON.clock(now: now, session: book.configuration.session) })
        }
        route(router, .get, "/v2/positions", .alpaca) { _, _, desk in
            .ok(.array(try desk.transact { book, _ in book.positions.map(AlpacaJSON.position) }))
        }
        route(router, .get, "/v2/positions/{symbol}", .alpaca) { _, context, desk in
            let text = context.parameters.get("symbol") ?? ""
            return .ok(
                try desk.transact { book, _ throws(ExchangeError) in
                    let symbol = try Self.positionSymbol(text, in: book)
                    guard let position = book.position(for: symbol) else { throw .positionNotFound }
                    return AlpacaJSON.position(position)
                })
        }
        route(router, .delete, "/v2/positions/{symbol}", .alpaca) { request, context, desk in
            let text = context.parameters.get("symbol") ?? ""
            let query = request.uri.queryParameters
            let quantity = try Self.decimalQuery(query.get("qty"), name: "qty")
            let percentage = try Self.decimalQuery(query.get("percentage"), name: "percentage")
            return .ok(
                try desk.transact { book, now throws(ExchangeError) in
                    AlpacaJSON.order(
                        try book.closePosition(Self.positionSymbol(text, in: book), quantity: quantity, percentage: percentage, now: now))
                })
        }
        route(router, .post, "/v2/orders", .alpaca) { [self] request, _, desk in
            let body = try await jsonBody(request)
            let order = try OrderRequest(json: body)
            return .ok(try desk.transact { book, now throws(ExchangeError) in AlpacaJSON.order(try book.submit(order, now: now)) })
        }
        route(router, .get, "/v2/orders", .alpaca) { request, _, desk in
            let query = OrderListQuery(request.uri.queryParameters)
            let filter = try query.filter()
            return .ok(
                .array(
                    try desk.transact { book, _ in
                        book.orders(
                            status: filter.status, limit: filter.limit, symbols: filter.symbols, ascending: filter.ascending,
                            side: filter.side, after: filter.after, until: filter.until)
                            .map(AlpacaJSON.order)
                    }))
        }
        route(router, .get, "/v2/orders:by_client_order_id", .alpaca) { request, _, desk in
            guard let clientOrderID = request.uri.queryParameters.get("client_order_id"), !clientOrderID.isEmpty else {
                throw ExchangeError.invalid("client_order_id is required")
            }
            return .ok(
                try desk.transact { book, _ throws(ExchangeError) in
                    guard let order = book.order(clientOrderID: clientOrderID) else { throw .orderNotFound }
                    return AlpacaJSON.order(order)
                })
        }
        route(router, .get, "/v2/orders/{id}", .alpaca) { _, context, desk in
            let id = context.parameters.get("id") ?? ""
            return .ok(
                try desk.transact { book, _ throws(ExchangeError) in
                    guard let order = book.order(id: id) else { throw .orderNotFound }
                    return AlpacaJSON.order(order)
                })
        }
        route(router, .delete, "/v2/orders/{id}", .alpaca) { _, context, desk in
            let id = context.parameters.get("id") ?? ""
            try desk.transact { book, now throws(ExchangeError) in _ = try book.cancel(orderID: id, now: now) }
            return .noContent
        }
    }

    private func addMarketDataRoutes(_ router: Router<ExchangeRequestContext>) {
        route(router, .get, "/v2/stocks/{symbol}/quotes/latest", .alpaca) { _, context, desk in
            let symbol = try Self.symbolParameter(context)
            return .ok(
                try desk.transact { book, _ throws(ExchangeError) in
                    guard let quote = book.market.quote(symbol) else { throw Self.unknownSymbol(symbol) }
                    return AlpacaJSON.latestQuote(quote)
                })
        }
        route(router, .get, "/v2/stocks/{symbol}/trades/latest", .alpaca) { _, context, desk in
            let symbol = try Self.symbolParameter(context)
            return .ok(
                try desk.transact { book, _ throws(ExchangeError) in
                    guard let quote = book.market.quote(symbol) else { throw Self.unknownSymbol(symbol) }
                    return AlpacaJSON.latestTrade(quote)
                })
        }
        route(router, .get, "/v2/stocks/quotes/latest", .alpaca) { request, _, desk in
            guard let list = request.uri.queryParameters.get("symbols"), !list.isEmpty else {
                throw ExchangeError.badRequest("missing symbols")
            }
            var symbols: [Symbol] = []
            for text in list.split(separator: ",") {
                let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
                guard let symbol = Symbol(trimmed) else { throw ExchangeError.badRequest("invalid symbol: \(displayExcerpt(trimmed))") }
                if !symbols.contains(symbol) { symbols.append(symbol) }
            }
            // Like Alpaca, symbols the exchange does not quote are left out of the answer.
            return .ok(try desk.transact { book, _ in AlpacaJSON.latestQuotes(symbols.compactMap(book.market.quote)) })
        }
    }

    private func addFaultRoutes(_ router: Router<ExchangeRequestContext>) {
        route(router, .get, "/__faults", .admin) { [self] _, _, _ in
            .ok(.array(pendingFaults.map(\.json)))
        }
        route(router, .post, "/__faults", .admin) { [self] request, _, _ in
            let body = try await jsonBody(request)
            var faults: [Fault] = []
            for element in body.arrayValue ?? [body] { faults.append(try Fault(json: element)) }
            for fault in faults { faultPlan.withLock { $0.add(fault) } }
            return .ok(.array(pendingFaults.map(\.json)))
        }
        route(router, .delete, "/__faults", .admin) { [self] _, _, _ in
            clearFaults()
            return .noContent
        }
    }

    static func symbolParameter(_ context: ExchangeRequestContext) throws(ExchangeError) -> Symbol {
        let text = context.parameters.get("symbol") ?? ""
        guard let symbol = Symbol(text.uppercased()) else { throw .invalid("invalid symbol: \(displayExcerpt(text))") }
        return symbol
    }

    static func unknownSymbol(_ symbol: Symbol) -> ExchangeError {
        ExchangeError(status: 404, code: 40_410_000, message: "symbol not found: \(symbol.rawValue)")
    }

    static func decimalQuery(_ text: String?, name: String) throws(ExchangeError) -> Decimal? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = DecimalText.parse(text) else { throw .invalid("invalid \(name): \(displayExcerpt(text))") }
        return value
    }

    /// The request body as JSON. A Content-Type other than JSON is 400 (none at all is taken as JSON), a
    /// body over `limits.maxBodyBytes` is 413, and a body that is not one JSON value (a repeated member name
    /// included) is 400.
    func jsonBody(_ request: Request) async throws -> JSONValue {
        if let type = request.headers[.contentType], !Self.isJSONContentType(type) {
            throw ExchangeError.badRequest("request body must be JSON (Content-Type: application/json), not \(displayExcerpt(type))")
        }
        let limit = options.limits.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw ExchangeError.bodyTooLarge(limit: limit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ExchangeError.bodyTooLarge(limit: limit)
        }
        return try Self.parseBody(Array(buffer.readableBytesView))
    }

    /// A request body read as one JSON value, or the 400 the exchange answers for it: the step after the
    /// Content-Type and size checks, without HTTP (`bulwark-fuzz` drives it).
    package static func parseBody(_ bytes: [UInt8]) throws(ExchangeError) -> JSONValue {
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            // Alpaca's words for a body it cannot read; a repeated key is named, as it is easy to miss.
            let duplicate = error.reason.hasPrefix("duplicate member name")
            throw ExchangeError.badRequest("request body format is invalid" + (duplicate ? ": \(error.reason)" : ""))
        }
    }

    /// A `POST /v2/orders` body read and validated as the route reads it (JSON, then the order request's
    /// checks), without HTTP and without the book: the order, or the 400/422 the client would get.
    package static func orderRequest(body bytes: [UInt8]) throws(ExchangeError) -> OrderRequest {
        try OrderRequest(json: parseBody(bytes))
    }

    /// `application/json`, or a `+json` type, with any parameters (`; charset=utf-8`).
    static func isJSONContentType(_ value: String) -> Bool {
        let type = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
            .trimmingCharacters(in: .whitespaces).lowercased()
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }
}

/// Turns Hummingbird's plain 404 for an unknown path into a JSON body.
struct NotFoundMiddleware: RouterMiddleware {
    typealias Context = ExchangeRequestContext

    /// Answers a path no route serves (404) or a method a path does not take (405).
    let unknownRoute: @Sendable (Request, ExchangeRequestContext, Int) async throws -> Response

    func handle(
        _ request: Request, context: ExchangeRequestContext,
        next: (Request, ExchangeRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            // Answered through the gate like every route: Alpaca's code, the rate-limit headers.
            let status = Int(error.status.code)
            return try await unknownRoute(request, context, status)
        }
    }
}
