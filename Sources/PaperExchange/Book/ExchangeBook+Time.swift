import Foundation
import Primitives

extension ExchangeBook {
    /// Brings the book up to `now`: steps the market one interval at a time, closing sessions, filling
    /// resting limit orders the walk crosses and issuing flow alerts as it goes; then lets the matcher
    /// see the orders received since the last call. A `now` earlier than the book's time changes nothing.
    public mutating func advance(to now: Timestamp) {
        let nowMilliseconds = now.epochMilliseconds
        var target = market.step(at: nowMilliseconds)
        let maximumSteps = UInt64(max(1, Self.milliseconds(configuration.maximumCatchUp) / market.intervalMilliseconds))
        if target > market.steps + maximumSteps {
            market.rebase(soThatRemaining: maximumSteps, endAt: nowMilliseconds)
            target = market.step(at: nowMilliseconds)
        }
        let alertOdds = alertPartsPerMillion
        while market.steps < target {
            let stepTime = market.time(ofStep: market.steps + 1)
            rollSession(to: stepTime)
            market.stepAll()
            expireSessionOrders(at: stepTime)
            if isTrading(at: stepTime) { fillRestingOrders(at: .milliseconds(stepTime)) }
            recordHistory(stepMilliseconds: stepTime)
            if FlowAlertGenerator.firesAt(seed: seed, step: market.steps, partsPerMillion: alertOdds) {
                issueAlert(step: market.steps, stepMilliseconds: stepTime)
            }
        }
        rollSession(to: max(nowMilliseconds, market.time(ofStep: market.steps)))
        let matchTime = max(nowMilliseconds, market.time(ofStep: market.steps))
        expireSessionOrders(at: matchTime)
        if isTrading(at: matchTime) { matchNewOrders(at: Timestamp.milliseconds(matchTime)) }
    }

    /// The session (UTC day) that `milliseconds` falls in.
    static func session(of milliseconds: Int64) -> Int64 { milliseconds.floorDivided(by: dayMilliseconds) }

    /// The session that `milliseconds` counts towards, as a day number: around the clock, its UTC day; in
    /// NYSE's hours, the day of the session in progress or the next one, so that a session ends at its
    /// close (16:00 New York, 13:00 on an early close) and a weekend or holiday belongs to the next session,
    /// not at UTC midnight.
    static func sessionKey(of milliseconds: Int64, in session: TradingSession) -> Int64 {
        switch session {
        case .always: Self.session(of: milliseconds)
        case .nyse: MarketCalendar.currentOrNextSession(after: .milliseconds(milliseconds)).day
        }
    }

    /// When session `day` ends: the next session starts at the same instant (the paper market is open
    /// around the clock; a session is one UTC day).
    static func sessionEnd(of day: Int64) -> Timestamp { .milliseconds((day + 1) * dayMilliseconds) }

    private var alertPartsPerMillion: UInt64 {
        let alertMilliseconds = max(1, Self.milliseconds(configuration.flowAlertInterval))
        return UInt64(min(1_000_000, market.intervalMilliseconds * 1_000_000 / alertMilliseconds))
    }

    /// Closes every session that ended at or before `milliseconds`: records closing prices, equity and
    /// maintenance margin, and expires the day orders of the closed sessions.
    private mutating func rollSession(to milliseconds: Int64) {
        let day = Self.sessionKey(of: milliseconds, in: configuration.session)
        guard day > sessionDay else { return }
        let closedAt = configuration.session == .nyse
            ? MarketCalendar.session(onDay: sessionDay)?.close ?? Self.sessionEnd(of: sessionDay) : Self.sessionEnd(of: sessionDay)
        for index in orders.indices where orders[index].isOpen && orders[index].timeInForce == .day && orders[index].sessionClose == nil {
            let order = orders[index]
            guard Self.sessionKey(of: order.submittedAt.epochMilliseconds, in: configuration.session) < day else { continue }
            orders[index].status = .expired
            orders[index].expiredAt = max(closedAt, order.submittedAt)
            orders[index].updatedAt = orders[index].expiredAt!
        }
        let figures = accountFigures
        lastEquity = figures.equity
        lastMaintenanceMargin = figures.maintenanceMargin
        market.closeSession()
        sessionDay = day
        revision += 1
    }

    /// Fills resting limit orders that the quote at `time` reaches, at their limit price.
    private mutating func fillRestingOrders(at time: Timestamp) {
        for index in orders.indices where orders[index].status == .new {
            let order = orders[index]
            guard let limit = order.limitPrice, let quote = market.quote(order.symbol) else { continue }
            let crossed = order.side == .buy ? quote.ask <= limit : quote.bid >= limit
            if crossed { fill(index, price: limit, at: time) }
        }
    }

    /// Looks at orders received since the last call: market orders fill at the ask (buy) or bid (sell);
    /// a marketable limit fills there too (at or better than its limit); any other limit rests, or for
    /// IOC is canceled.
    private mutating func matchNewOrders(at time: Timestamp) {
        for index in orders.indices where orders[index].status == .accepted {
            let order = orders[index]
            guard let quote = market.quote(order.symbol) else { continue }
            let touch = order.side == .buy ? quote.ask : quote.bid
            switch order.kind {
            case .market:
                fill(index, price: touch, at: time)
            case .limit:
                let limit = order.limitPrice ?? touch
                let marketable = order.side == .buy ? touch <= limit : touch >= limit
                if marketable {
                    fill(index, price: touch, at: time)
                } else if order.timeInForce == .ioc {
                    orders[index].status = .canceled
                    orders[index].canceledAt = time
                    orders[index].updatedAt = time
                } else {
                    orders[index].status = .new
                    orders[index].updatedAt = time
                }
            }
            revision += 1
        }
    }

    /// Fills order `index` whole at `price` and moves cash and the position.
    mutating func fill(_ index: Int, price: Decimal, at time: Timestamp) {
        let order = orders[index]
        let quantity = order.quantity ?? ((order.notional ?? 0) / price).rounded(9, .down)
        orders[index].status = .filled
        orders[index].filledQuantity = quantity
        orders[index].filledAveragePrice = price
        orders[index].filledAt = time
        orders[index].updatedAt = time
        applyFill(symbol: order.symbol, signedQuantity: order.side == .buy ? quantity : -quantity, price: price)
        revision += 1
    }

    private mutating func applyFill(symbol: Symbol, signedQuantity: Decimal, price: Decimal) {
        cash -= signedQuantity * price
        let old = positionRecords[symbol] ?? BookState.PositionRecord(symbol: symbol, quantity: 0, averageEntryPrice: 0)
        let newQuantity = old.quantity + signedQuantity
        var average = old.averageEntryPrice
        if old.quantity == 0 || (old.quantity > 0) == (signedQuantity > 0) {
            // Opening or adding: the average moves toward the fill price.
            average = (abs(old.quantity) * old.averageEntryPrice + abs(signedQuantity) * price) / abs(newQuantity)
        } else if newQuantity != 0, (newQuantity > 0) != (old.quantity > 0) {
            // Crossed through zero (the order checks prevent it; kept correct anyway).
            average = price
        }
        if newQuantity == 0 {
            positionRecords[symbol] = nil
        } else {
            positionRecords[symbol] = BookState.PositionRecord(symbol: symbol, quantity: newQuantity, averageEntryPrice: average)
        }
    }

    private mutating func issueAlert(step: UInt64, stepMilliseconds: Int64) {
        guard
            let alert = FlowAlertGenerator.alert(
                seed: seed, step: step, sequence: alertCount + 1, stepMilliseconds: stepMilliseconds,
                intervalMilliseconds: market.intervalMilliseconds, market: market)
        else { return }
        alertCount += 1
        alerts.append(alert)
        if alerts.count > configuration.alertsKept { alerts.removeFirst(alerts.count - configuration.alertsKept) }
        revision += 1
    }
}
