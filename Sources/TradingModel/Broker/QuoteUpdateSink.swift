import Primitives

/// Where the market-data stream's connection reports what it hears, and asks which symbols to follow:
/// the engine's `StreamedQuotes` in production. The stream's client knows only this, not the engine.
public protocol QuoteUpdateSink: Sendable {
    /// The symbols whose quotes should be pushed now (the watchlist and what the engine trades); the
    /// connection subscribes and unsubscribes to follow it.
    var wantedSymbols: Set<Symbol> { get }
    /// Connected and authenticated: quotes of the subscribed symbols are pushed from now on.
    func streamListening()
    /// The connection is gone (dropped, refused, silent, or not yet made), in the operator's words.
    func streamDown(reason: String)
    /// The quotes subscribed to now, as the stream confirmed them.
    func subscribed(_ symbols: Set<Symbol>)
    /// A quote as the stream pushed it.
    func received(_ quote: Quote)
}
