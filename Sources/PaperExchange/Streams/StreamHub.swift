import Primitives
import Synchronization

/// How a connection's messages are written: JSON text frames, JSON in binary frames (Alpaca's trading
/// stream), or MessagePack in binary frames (the market-data stream, when asked).
enum StreamEncoding: Sendable {
    case jsonText
    case jsonBinary
    case messagePack

    func frame(_ message: JSONValue) -> Outbox.Frame {
        switch self {
        case .jsonText: .text(message.serialized)
        case .jsonBinary: .binary(message.bytes)
        case .messagePack: .binary(MessagePackValue(json: message).packed)
        }
    }
}

/// The market as of one tick, for the market-data stream.
struct MarketTick: Sendable {
    var step: UInt64
    var quotes: [MarketQuote]
    /// The newest finished minute bar of each symbol.
    var bars: [(symbol: Symbol, bar: Bar)]
}

/// Every open stream connection, with what it listens to; publishes order events and market ticks to
/// them. Publishing never waits: each connection has its own bounded `Outbox`.
final class StreamHub: Sendable {
    private struct Listener {
        var outbox: Outbox
        var encoding: StreamEncoding
        var authenticated = false
        var tradeUpdates = false
        var market: MarketSubscription?
    }

    private struct State {
        var listeners: [Int: Listener] = [:]
        var nextID = 0
        var lastStep: UInt64?
        var lastBarStarts: [Symbol: Int64] = [:]
    }

    let limits: StreamLimits
    /// The fault that leaves every connection open and silent (`ExchangeServer.silenceStreams`).
    let silence = StreamSilence()
    private let state = Mutex(State())
    /// Signalled whenever a connection starts listening, so the ticker wakes.
    let activity: AsyncStream<Void>
    private let activityContinuation: AsyncStream<Void>.Continuation

    init(limits: StreamLimits) {
        self.limits = limits
        (activity, activityContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Adds a connection; nil when `limits.maxConnections` are already open.
    func register(_ outbox: Outbox, encoding: StreamEncoding) -> Int? {
        state.withLock { state in
            guard state.listeners.count < limits.maxConnections else { return nil }
            state.nextID += 1
            state.listeners[state.nextID] = Listener(outbox: outbox, encoding: encoding)
            return state.nextID
        }
    }

    func remove(_ id: Int) {
        _ = state.withLock { $0.listeners.removeValue(forKey: id) }
    }

    func authenticate(_ id: Int, _ authenticated: Bool) {
        state.withLock { $0.listeners[id]?.authenticated = authenticated }
    }

    func isAuthenticated(_ id: Int) -> Bool {
        state.withLock { $0.listeners[id]?.authenticated ?? false }
    }

    func listen(_ id: Int, tradeUpdates: Bool) {
        state.withLock { $0.listeners[id]?.tradeUpdates = tradeUpdates }
        if tradeUpdates { activityContinuation.yield() }
    }

    func subscribe(_ id: Int, market: MarketSubscription) {
        state.withLock { $0.listeners[id]?.market = market }
        if !market.isEmpty { activityContinuation.yield() }
    }

    /// Whether any connection listens to anything (the ticker runs while one does).
    var isActive: Bool {
        state.withLock { state in state.listeners.values.contains { $0.tradeUpdates || !($0.market?.isEmpty ?? true) } }
    }

    /// Whether any connection listens to order events.
    var wantsOrderEvents: Bool {
        state.withLock { state in state.listeners.values.contains(where: \.tradeUpdates) }
    }

    func publish(_ events: [OrderEvent]) {
        guard !events.isEmpty else { return }
        let outboxes = state.withLock { state in state.listeners.values.filter(\.tradeUpdates).map { ($0.outbox, $0.encoding) } }
        guard !outboxes.isEmpty else { return }
        let messages = events.map(AlpacaStreamJSON.tradeUpdate)
        for (outbox, encoding) in outboxes {
            for message in messages { outbox.send(encoding.frame(message)) }
        }
    }

    /// Sends each market-data connection the quotes, trades and bars it subscribed to that changed since
    /// the previous tick, as one array.
    func publish(_ tick: MarketTick) {
        let (listeners, newStep, newBars) = state.withLock { state -> ([Listener], Bool, Set<Symbol>) in
            let newStep = state.lastStep != tick.step
            state.lastStep = tick.step
            var newBars = Set<Symbol>()
            for (symbol, bar) in tick.bars where state.lastBarStarts[symbol] != bar.start {
                if state.lastBarStarts[symbol] != nil { newBars.insert(symbol) }
                state.lastBarStarts[symbol] = bar.start
            }
            return (state.listeners.values.filter { !($0.market?.isEmpty ?? true) }, newStep, newBars)
        }
        guard newStep || !newBars.isEmpty else { return }
        for listener in listeners {
            guard let market = listener.market else { continue }
            var messages: [JSONValue] = []
            if newStep {
                for quote in tick.quotes where market.includes("trades", quote.symbol) { messages.append(AlpacaStreamJSON.trade(quote)) }
                for quote in tick.quotes where market.includes("quotes", quote.symbol) { messages.append(AlpacaStreamJSON.quote(quote)) }
            }
            for (symbol, bar) in tick.bars where newBars.contains(symbol) && market.includes("bars", symbol) {
                messages.append(AlpacaStreamJSON.bar(symbol, bar))
            }
            if !messages.isEmpty { listener.outbox.send(listener.encoding.frame(.array(messages))) }
        }
    }

    /// The symbols any market-data connection wants (every listed one when a connection asked for `*`).
    func wantedSymbols(listed: [Symbol]) -> [Symbol] {
        let subscriptions = state.withLock { state in state.listeners.values.compactMap(\.market) }
        return listed.filter { symbol in
            subscriptions.contains { subscription in ["trades", "quotes", "bars"].contains { subscription.includes($0, symbol) } }
        }
    }
}
