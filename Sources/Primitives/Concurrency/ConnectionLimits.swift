/// Bounds on what a local HTTP client may hold of a server (the dashboard, the paper exchange): how many
/// connections are served at once, how long a connection may sit idle or take to send its headers, and how
/// large a request body may be.
public struct ConnectionLimits: Sendable, Equatable {
    /// Connections served at once; further ones wait in the listen backlog, holding no descriptor of ours.
    public var maxConnections: Int
    /// A connection that completes no request part for this long is closed: an idle keep-alive connection,
    /// or a slow client still sending its request head (slowloris).
    public var idleTimeout: Duration
    /// The largest request body read; a larger one is answered 413.
    public var maxBodyBytes: Int

    public init(maxConnections: Int, idleTimeout: Duration = .seconds(10), maxBodyBytes: Int = 1 << 20) {
        self.maxConnections = max(1, maxConnections)
        self.idleTimeout = idleTimeout
        self.maxBodyBytes = max(0, maxBodyBytes)
    }

    /// Descriptors kept for trading itself (state, journal, logs, broker connections) whatever the servers hold.
    public static let reservedDescriptors = 256

    /// The most connections one server may hold: 512, or a quarter of what the descriptor limit leaves after
    /// the reserve, so that two servers at their limits still leave trading half of it. At the common
    /// limit of 1,024 that is 192.
    public static func maxConnections(descriptorLimit: Int) -> Int {
        max(16, min(512, (descriptorLimit - reservedDescriptors) / 4))
    }

    /// The limits for a server in this process, sized from its descriptor limit now.
    public static var standard: ConnectionLimits {
        ConnectionLimits(maxConnections: maxConnections(descriptorLimit: DescriptorLimit.current().soft))
    }
}
