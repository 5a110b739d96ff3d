/// An error on the market-data stream, with Alpaca's code and message (`{"T":"error","code":…,"msg":…}`).
public struct StreamError: Error, Sendable, Hashable {
    public var code: Int
    public var message: String

    public static let invalidSyntax = StreamError(code: 400, message: "invalid syntax")
    public static let notAuthenticated = StreamError(code: 401, message: "not authenticated")
    public static let authFailed = StreamError(code: 402, message: "auth failed")
    public static let alreadyAuthenticated = StreamError(code: 403, message: "already authenticated")
    public static let authTimeout = StreamError(code: 404, message: "auth timeout")
    public static let symbolLimitExceeded = StreamError(code: 405, message: "symbol limit exceeded")
    public static let connectionLimitExceeded = StreamError(code: 406, message: "connection limit exceeded")
    public static let slowClient = StreamError(code: 407, message: "slow client")
    public static let insufficientSubscription = StreamError(code: 409, message: "insufficient subscription")
    public static let invalidSubscribeAction = StreamError(code: 410, message: "invalid subscribe action for this feed")
    public static let internalError = StreamError(code: 500, message: "internal error")
}

/// How far the streams let a client go: each breach is answered with an error and a closed connection.
public struct StreamLimits: Sendable, Hashable {
    /// Stream connections open at once, both streams together (Alpaca allows one market-data connection
    /// per account; the paper exchange is kinder, for tests and several bots on one machine).
    public var maxConnections: Int
    /// Largest frame, and largest message assembled from frames, a client may send.
    public var maxMessageBytes: Int
    /// Distinct symbols one market-data connection may subscribe to.
    public var maxSymbols: Int
    /// Messages queued for one connection; one more and the client is too slow (error 407, closed).
    public var outgoingMessages: Int
    /// How long a market-data client has to authenticate after connecting (error 404).
    public var authTimeout: Duration

    public init(
        maxConnections: Int = 32, maxMessageBytes: Int = 32 * 1024, maxSymbols: Int = 30, outgoingMessages: Int = 256,
        authTimeout: Duration = .seconds(10)
    ) {
        self.maxConnections = maxConnections
        self.maxMessageBytes = maxMessageBytes
        self.maxSymbols = maxSymbols
        self.outgoingMessages = outgoingMessages
        self.authTimeout = authTimeout
    }

    public static let standard = StreamLimits()
}
