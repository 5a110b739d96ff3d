import Foundation
import Primitives

/// The exchange's whole state and rules, with no I/O and no clock of its own: every method that depends
/// on time takes `now`. The HTTP server holds one behind a lock, calls `advance(to:)` with the injected
/// clock's time before each request, and saves `state` whenever `revision` changes.
public struct ExchangeBook: Sendable {
    public struct Configuration: Sendable, Hashable {
        public var seed: UInt64
        public var symbols: [Symbol]
        public var startingCash: Decimal
        /// Reg T multiplier: 2 for a margin account (buying power twice the equity), 1 for cash.
        public var marginMultiplier: Decimal
        /// How often every price moves.
        public var quoteInterval: Duration
        /// Largest move of a price in one step, in basis points (at least a cent).
        public var volatilityBasisPoints: Int64
        /// Bid/ask spread, in basis points of the price (at least a cent).
        public var spreadBasisPoints: Int64
        /// Mean time between flow alerts.
        public var flowAlertInterval: Duration
        /// Market history made before the book was created, so quotes and alerts exist from the start.
        public var warmUp: Duration
        /// Closed orders kept (open ones are always kept).
        public var closedOrdersKept: Int
        /// Newest flow alerts kept and served.
        public var alertsKept: Int
        /// Longest stretch of market the exchange replays after a gap; beyond it the market resumes
        /// where it stopped.
        public var maximumCatchUp: Duration
        /// When orders match: around the clock, or in NYSE's regular session (market orders sent while
        /// closed wait for the open; day orders expire at the session's close).
        public var session: TradingSession

        public init(
            seed: UInt64, symbols: [Symbol] = Listing.defaultSymbols, startingCash: Decimal = 100_000,
            marginMultiplier: Decimal = 2, quoteInterval: Duration = .milliseconds(500),
            volatilityBasisPoints: Int64 = 2, spreadBasisPoints: Int64 = 2, flowAlertInterval: Duration = .seconds(10), warmUp: Duration = .seconds(600), closedOrdersKept: Int = 1_000,
            alertsKept: Int = 200, maximumCatchUp: Duration = .seconds(3_600), session: TradingSession = .always
        ) {
            self.seed = seed
            self.symbols = symbols
            self.startingCash = startingCash
            self.marginMultiplier = marginMultiplier
            self.quoteInterval = quoteInterval
            self.volatilityBasisPoints = volatilityBasisPoints
            self.spreadBasisPoints = spreadBasisPoints
            self.flowAlertInterval = flowAlertInterval
            self.warmUp = warmUp
            self.closedOrdersKept = closedOrdersKept
            self.alertsKept = alertsKept
            self.maximumCatchUp = maximumCatchUp
            self.session = session
        }
    }

    public let configuration: Configuration
    public let seed: UInt64
    public let accountID: String
    public let accountNumber: String
    public let createdAt: Timestamp
    public internal(set) var market: Market
    public internal(set) var cash: Decimal
    public internal(set) var lastEquity: Decimal
    public internal(set) var lastMaintenanceMargin: Decimal
    var positionRecords: [Symbol: BookState.PositionRecord]
    /// Oldest first.
    public internal(set) var orders: [PaperOrder]
    var usedClientOrderIDs: Set<String>
    public internal(set) var orderCount: Int
    public internal(set) var sessionDay: Int64
    public internal(set) var alertCount: Int
    /// Oldest first.
    public internal(set) var alerts: [FlowAlert]
    /// The account's configurations (`/v2/account/configurations`).
    public internal(set) var accountConfiguration = AccountConfiguration()
    /// Bars and equity since the book was created or loaded (not saved).
    var history = BookHistory()
    /// Grows with every change that must be saved (not with price steps alone).
    public internal(set) var revision = 0

    /// A new account with the starting cash, its market history beginning `warmUp` before `createdAt`.
    public init(configuration: Configuration, createdAt: Timestamp) {
        let created = createdAt.truncatedToMilliseconds
        let seed = configuration.seed
        self.configuration = configuration
        self.seed = seed
        self.accountID = Mixing.uuid(seed, Mixing.hash("account"))
        self.accountNumber = "PA" + String(Mixing.hash(seed, Mixing.hash("account-number")) % 10_000_000_000).leftPadded(to: 10)
        self.createdAt = created
        let anchor = created.epochMilliseconds - Self.milliseconds(configuration.warmUp)
        self.market = Market(
            listings: configuration.symbols.map(Listing.listing(for:)), seed: seed, anchorMilliseconds: anchor,
            intervalMilliseconds: Self.milliseconds(configuration.quoteInterval),
            volatilityBasisPoints: configuration.volatilityBasisPoints, spreadBasisPoints: configuration.spreadBasisPoints)
        self.cash = configuration.startingCash
        self.lastEquity = configuration.startingCash
        self.lastMaintenanceMargin = 0
        self.positionRecords = [:]
        self.orders = []
        self.usedClientOrderIDs = []
        self.orderCount = 0
        self.sessionDay = Self.sessionKey(of: anchor, in: configuration.session)
        self.alertCount = 0
        self.alerts = []
    }

    /// The book saved in `state`. Its seed, symbols and quote interval win over `configuration`'s,
    /// so a restarted exchange carries on the same market.
    public init(restoring state: BookState, configuration: Configuration) {
        var configuration = configuration
        configuration.seed = state.seed
        configuration.symbols = state.market.symbols.map(\.symbol)
        configuration.quoteInterval = .milliseconds(state.market.intervalMilliseconds)
        configuration.volatilityBasisPoints = state.market.volatilityBasisPoints
        configuration.spreadBasisPoints = state.market.spreadBasisPoints
        self.configuration = configuration
        self.seed = state.seed
        self.accountID = state.accountID
        self.accountNumber = state.accountNumber
        self.createdAt = state.createdAt
        self.market = Market(restoring: state.market, seed: state.seed)
        self.cash = state.cash
        self.lastEquity = state.lastEquity
        self.lastMaintenanceMargin = state.lastMaintenanceMargin
        self.positionRecords = Dictionary(state.positions.map { ($0.symbol, $0) }, uniquingKeysWith: { _, last in last })
        self.orders = state.orders.sorted { $0.sequence < $1.sequence }
        self.usedClientOrderIDs = Set(state.usedClientOrderIDs)
        self.orderCount = state.orderCount
        self.sessionDay = state.sessionDay
        self.alertCount = state.alertCount
        self.alerts = state.alerts.sorted { $0.sequence < $1.sequence }
        self.accountConfiguration = state.accountConfiguration ?? AccountConfiguration()
    }

    /// What is saved to disk.
    public var state: BookState {
        var state = BookState(
            schemaVersion: BookState.currentSchemaVersion, seed: seed, accountID: accountID, accountNumber: accountNumber,
            createdAt: createdAt, cash: cash, lastEquity: lastEquity, lastMaintenanceMargin: lastMaintenanceMargin,
            positions: positionRecords.values.sorted { $0.symbol < $1.symbol }, orders: orders,
            usedClientOrderIDs: usedClientOrderIDs.sorted(), orderCount: orderCount, market: market.record,
            sessionDay: sessionDay, alertCount: alertCount, alerts: alerts)
        state.accountConfiguration = accountConfiguration
        return state
    }

    static let dayMilliseconds: Int64 = 86_400_000

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }

    /// Whether `clientOrderID` was ever used on this account.
    public func hasUsed(clientOrderID: String) -> Bool { usedClientOrderIDs.contains(clientOrderID) }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
