import Foundation
import Hummingbird
import Primitives

extension ExchangeServer {
    /// Assets, account configurations and portfolio history.
    func addAccountRoutes(_ router: Router<ExchangeRequestContext>) {
        route(router, .get, "/v2/assets", .alpaca) { request, _, desk in
            let query = request.uri.queryParameters
            let status = query.get("status") ?? "active"
            let assetClass = query.get("asset_class") ?? "us_equity"
            let exchange = query.get("exchange")?.uppercased()
            return .ok(
                .array(
                    try desk.transact { book, _ in
                        guard status.isEmpty || status == "active", assetClass.isEmpty || assetClass == "us_equity" else { return [] }
                        return book.market.symbols.compactMap(book.market.listing)
                            .filter { exchange == nil || exchange == "" || $0.primaryExchange == exchange }
                            .map(AlpacaJSON.asset)
                    }))
        }
        route(router, .get, "/v2/assets/{symbol}", .alpaca) { _, context, desk in
            let text = context.parameters.get("symbol") ?? ""
            return .ok(
                try desk.transact { book, _ throws(ExchangeError) in
                    guard let symbol = book.symbol(forSymbolOrAssetID: text), let listing = book.market.listing(symbol) else {
                        throw ExchangeError(status: 404, code: 40_410_000, message: "asset not found")
                    }
                    return AlpacaJSON.asset(listing)
                })
        }
        route(router, .get, "/v2/calendar", .alpaca) { request, _, _ in
            let query = request.uri.queryParameters
            func day(_ name: String, default value: Int64) throws(ExchangeError) -> Int64 {
                guard let text = query.get(name), !text.isEmpty else { return value }
                guard let day = MarketCalendar.day(String(text.prefix(10))) else { throw .invalid("invalid \(name): \(displayExcerpt(text))") }
                return day
            }
            let known = MarketCalendar.knownYears
            let start = try day("start", default: MarketCalendar.days(year: known.lowerBound, month: 1, day: 1))
            let end = try day("end", default: MarketCalendar.days(year: known.upperBound, month: 12, day: 31))
            guard end - start <= 3_660 else { throw ExchangeError.invalid("the calendar answers at most ten years at once") }
            return .ok(.array(MarketCalendar.sessions(from: start, through: end).map(AlpacaJSON.calendarDay)))
        }
        route(router, .get, "/v2/account/configurations", .alpaca) { _, _, desk in
            .ok(try desk.transact { book, _ in book.accountConfiguration.json })
        }
        route(router, .patch, "/v2/account/configurations", .alpaca) { [self] request, _, desk in
            let body = try await jsonBody(request)
            return .ok(
                try desk.transact { book, _ throws(ExchangeError) in
                    let updated = try book.accountConfiguration.applying(body)
                    if updated != book.accountConfiguration {
                        book.accountConfiguration = updated
                        book.revision += 1
                    }
                    return updated.json
                })
        }
        route(router, .get, "/v2/account/portfolio/history", .alpaca) { request, _, desk in
            let query = try PortfolioHistoryQuery(request.uri.queryParameters, now: desk.now)
            return .ok(
                try desk.transact { book, _ in
                    let points = query.points(book.equityHistory(daily: query.timeframe == .day))
                    return AlpacaJSON.portfolioHistory(points, timeframe: query.timeframeName)
                })
        }
    }

    /// Latest trades, bars and snapshots.
    func addHistoryRoutes(_ router: Router<ExchangeRequestContext>) {
        route(router, .get, "/v2/stocks/trades/latest", .alpaca) { request, _, desk in
            let symbols = try MarketDataQuery.symbols(request.uri.queryParameters)
            return .ok(try desk.transact { book, _ in AlpacaJSON.latestTrades(symbols.compactMap(book.market.quote)) })
        }
        route(router, .get, "/v2/stocks/bars", .alpaca) { request, _, desk in
            let parameters = request.uri.queryParameters
            let symbols = try MarketDataQuery.symbols(parameters)
            let query = try MarketDataQuery.Bars(parameters, now: desk.now)
            return .ok(
                try desk.transact { book, _ throws(ExchangeError) in
                    let page = try query.page(book, symbols: symbols)
                    let bars = JSONObject(page.bars.map { .init(key: $0.symbol.rawValue, value: .array($0.bars.map(AlpacaJSON.bar))) })
                    return .object(["bars": .object(bars), "next_page_token": .string(page.nextToken)])
                })
        }
        route(router, .get, "/v2/stocks/{symbol}/bars", .alpaca) { request, context, desk in
            let symbol = try Self.symbolParameter(context)
            let query = try MarketDataQuery.Bars(request.uri.queryParameters, now: desk.now)
            return .ok(
                try desk.transact { book, _ throws(ExchangeError) in
                    let page = try query.page(book, symbols: [symbol])
                    return .object([
                        "bars": .array((page.bars.first?.bars ?? []).map(AlpacaJSON.bar)),
                        "symbol": .string(symbol.rawValue),
                        "next_page_token": .string(page.nextToken),
                    ])
                })
        }
        route(router, .get, "/v2/stocks/bars/latest", .alpaca) { request, _, desk in
            let symbols = try MarketDataQuery.symbols(request.uri.queryParameters)
            return .ok(
                try desk.transact { book, _ in
                    let bars = symbols.compactMap { symbol in book.latestMinuteBar(symbol).map { (symbol, $0) } }
                    return .object(["bars": .object(JSONObject(bars.map { .init(key: $0.0.rawValue, value: AlpacaJSON.bar($0.1)) }))])
                })
        }
        route(router, .get, "/v2/stocks/{symbol}/bars/latest", .alpaca) { _, context, desk in
            let symbol = try Self.symbolParameter(context)
            return .ok(
                try desk.transact { book, _ throws(ExchangeError) in
                    guard let bar = book.latestMinuteBar(symbol) else { throw Self.unknownSymbol(symbol) }
                    return .object(["symbol": .string(symbol.rawValue), "bar": AlpacaJSON.bar(bar)])
                })
        }
        route(router, .get, "/v2/stocks/snapshots", .alpaca) { request, _, desk in
            let symbols = try MarketDataQuery.symbols(request.uri.queryParameters)
            return .ok(
                try desk.transact { book, _ in
                    .object(
                        JSONObject(
                            symbols.compactMap(book.market.quote).map { .init(key: $0.symbol.rawValue, value: AlpacaJSON.snapshot(book, $0)) }))
                })
        }
        route(router, .get, "/v2/stocks/{symbol}/snapshot", .alpaca) { _, context, desk in
            let symbol = try Self.symbolParameter(context)
            return .ok(
                try desk.transact { book, _ throws(ExchangeError) in
                    guard let quote = book.market.quote(symbol) else { throw Self.unknownSymbol(symbol) }
                    guard case .object(var body) = AlpacaJSON.snapshot(book, quote) else { return .null }
                    body = JSONObject([.init(key: "symbol", value: .string(symbol.rawValue))] + body.members)
                    return .object(body)
                })
        }
    }
}
