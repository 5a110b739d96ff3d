import Primitives
/// Everything a console shows, at one moment: what the control socket sends a client first (and again
/// whenever it fell behind), before the event stream that continues at `sequence + 1`.
public struct ControlSnapshot: Hashable, Sendable, Codable {
    /// The last event folded in; the stream continues at `sequence + 1`.
    public var sequence: UInt64
    public var takenAt: Timestamp
    /// "SIM", "PAPER" or "LIVE".
    public var broker: String
    /// Chaos modes cannot be switched (a live account).
    public var chaosLocked: Bool
    public var trading: TradingState?
    /// The system's holds on trading, oldest first.
    public var holds: [TradingHold]
    public var overall: OverallHealth?
    /// In the order they first reported.
    public var services: [ServiceHealth]
    /// Sorted by symbol.
    public var positions: [Position]
    /// Submitted and not yet filled or ended.
    public var openOrders: [OrderSubmission]
    /// Newest first, at most `rejectionLimit`.
    public var rejections: [GuardRejection]
    /// Oldest first, at most `eventLimit` (quotes are left out: the latest ones are in `quotes`).
    public var recentEvents: [Event]
    public var chaosOn: [ChaosMode]
    public var account: AccountSnapshot?
    public var quotes: [Quote]
    /// The latest vital signs (nil before the first; absent from snapshots of older instances).
    public var vitals: VitalSigns?

    public static let rejectionLimit = 50
    public static let eventLimit = 200

    public init(
        sequence: UInt64 = 0, takenAt: Timestamp, broker: String, chaosLocked: Bool, trading: TradingState? = nil,
        holds: [TradingHold] = [], overall: OverallHealth? = nil, services: [ServiceHealth] = [], positions: [Position] = [],
        openOrders: [OrderSubmission] = [], rejections: [GuardRejection] = [], recentEvents: [Event] = [], chaosOn: [ChaosMode] = [],
        account: AccountSnapshot? = nil, quotes: [Quote] = [], vitals: VitalSigns? = nil
    ) {
        self.vitals = vitals
        self.sequence = sequence
        self.takenAt = takenAt
        self.broker = broker
        self.chaosLocked = chaosLocked
        self.trading = trading
        self.holds = holds
        self.overall = overall
        self.services = services
        self.positions = positions
        self.openOrders = openOrders
        self.rejections = rejections
        self.recentEvents = recentEvents
        self.chaosOn = chaosOn
        self.account = account
        self.quotes = quotes
    }
}
