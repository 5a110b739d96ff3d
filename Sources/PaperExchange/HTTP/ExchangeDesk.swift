import Logging
import Primitives
import Synchronization

/// The book behind a lock, with the clock that drives it and the file that keeps it. Every request goes
/// through `transact`: the book is brought up to the clock's time, the request's work is done on a copy,
/// and the copy replaces the book only once it is saved, so what a client was told is always on disk.
final class ExchangeDesk: Sendable {
    private let book: Mutex<ExchangeBook>
    let clock: any WallClock
    private let file: BookFile?
    private let logger: Logger
    /// Where order events go (the trading stream), when anyone listens.
    private let streams: StreamHub?

    init(book: ExchangeBook, clock: any WallClock, file: BookFile?, logger: Logger, streams: StreamHub? = nil) {
        self.book = Mutex(book)
        self.clock = clock
        self.file = file
        self.logger = logger
        self.streams = streams
    }

    /// How often the market steps.
    var snapshotInterval: Duration { book.withLock { $0.configuration.quoteInterval } }

    /// The clock's time, to the millisecond (what the book stores).
    var now: Timestamp { clock.now.truncatedToMilliseconds }

    func transact<Result: Sendable>(
        _ body: (inout ExchangeBook, Timestamp) throws(ExchangeError) -> Result
    ) throws(ExchangeError) -> Result {
        let now = self.now
        return try book.withLock { (book: inout ExchangeBook) throws(ExchangeError) -> Result in
            var working = book
            working.advance(to: now)
            let outcome: Swift.Result<Result, ExchangeError>
            do throws(ExchangeError) {
                outcome = .success(try body(&working, now))
            } catch {
                outcome = .failure(error)
            }
            if working.revision != book.revision, let file {
                do {
                    try file.save(working.state)
                } catch {
                    logger.error("paper exchange: the book could not be saved", metadata: ["error": "\(error.operatorText)"])
                    throw ExchangeError(status: 500, code: 50_010_000, message: "the exchange could not record the change")
                }
            }
            if working.revision != book.revision, let streams, streams.wantsOrderEvents {
                // Inside the lock, so events go out in the order the book changed.
                streams.publish(OrderEvent.changes(from: book, to: working))
            }
            book = working
            return try outcome.get()
        }
    }

    /// The book brought up to now.
    func snapshot() -> ExchangeBook {
        let now = self.now
        do {
            return try transact { book, _ in book }
        } catch {
            // Saving failed; the book as it stands is still the right thing to show.
            return book.withLock { book in
                var copy = book
                copy.advance(to: now)
                return copy
            }
        }
    }
}
