/// A failure the exchange is told to produce on purpose, for tests of a client's error handling.
/// Faults are only accepted when `ExchangeServer.Options.faultControls` is on.
public struct Fault: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Answer with this status (500, 503, …) and a JSON error body; the request is not handled.
        case status(Int)
        /// Answer 429 with `X-Ratelimit-Remaining: 0`, `X-Ratelimit-Reset` this many seconds ahead and
        /// `Retry-After`; the request is not handled.
        case rateLimited(resetAfterSeconds: Int)
        /// Wait this long (real time), then handle the request normally.
        case delay(Duration)
        /// Close the connection without an answer, before the request is handled (an order is not recorded).
        case resetBeforeHandling
        /// Handle the request (an order is recorded), then close the connection without an answer.
        case resetAfterHandling
        /// Handle the request, then send its status with a truncated, unparseable JSON body.
        case malformedBody
        /// Handle the request, then send its body with this key removed wherever it occurs (`nil`: the
        /// first key of the top-level object, or of each element of a top-level array).
        case missingField(String?)
    }

    /// `METHOD /path` as routed, with `{parameters}`: `POST /v2/orders`, `GET /v2/orders/{id}`,
    /// `GET /api/option-trades/flow-alerts`; or `*` for every route.
    public var route: String
    public var kind: Kind
    /// How many of the next matching responses fail this way.
    public var count: Int

    public init(route: String, kind: Kind, count: Int = 1) {
        self.route = route
        self.kind = kind
        self.count = count
    }

    /// Whether this fault applies to a request routed to `route` (`METHOD /path`).
    func matches(_ route: String) -> Bool {
        self.route == "*" || self.route == route
    }
}
