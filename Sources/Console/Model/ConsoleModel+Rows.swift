import Foundation
import Primitives

extension ConsoleModel {
    /// One supervised service, as the Services pane shows it.
    public struct ServiceRow: Hashable, Sendable {
        public var name: String
        public var status: HealthStatus
        public var isCritical: Bool
        public var restarts: Int
        public var lastError: String?
        /// The last error's stable code, when it had one.
        public var lastErrorCode: String?
        public var detail: String?
        public var reason: FailureReason?
        public var since: Timestamp
        /// `since` as `HH:MM:SS`.
        public var sinceText: String

        public init(_ health: ServiceHealth) {
            name = health.name.rawValue
            status = health.status
            isCritical = health.isCritical
            restarts = health.restarts
            lastError = health.lastError
            lastErrorCode = health.lastErrorCode
            detail = health.detail
            reason = health.reason
            since = health.since
            sinceText = TextFormat.clock(health.since)
        }
    }

    /// One open position, with the last price from the quotes and the unrealised PnL worked out in
    /// `Decimal`. The texts are formatted when a value changes, never while drawing.
    public struct PositionRow: Hashable, Sendable {
        public private(set) var symbol: String
        public private(set) var quantity: Decimal
        public private(set) var averageEntry: Decimal
        public private(set) var openedAt: Timestamp
        public private(set) var last: Decimal?
        /// (last − average entry) × signed quantity; `nil` until a quote arrives.
        public private(set) var unrealised: Decimal?
        public private(set) var quantityText: String
        public private(set) var averageEntryText: String
        public private(set) var lastText: String
        public private(set) var unrealisedText: String
        /// Quantity × last (or × average entry before a quote), for the wide layout.
        public private(set) var valueText: String
        /// `openedAt` as `HH:MM:SS`.
        public private(set) var openedText: String

        public init(_ position: Position, last: Decimal? = nil) {
            symbol = position.symbol.rawValue
            quantity = position.quantity
            averageEntry = position.averageEntryPrice
            openedAt = position.openedAt
            quantityText = TextFormat.quantity(position.quantity)
            averageEntryText = TextFormat.money(position.averageEntryPrice)
            lastText = "-"
            unrealisedText = "-"
            valueText = ""
            openedText = TextFormat.clock(position.openedAt)
            setLast(last)
        }

        /// Takes a new last price and works out the PnL again.
        public mutating func setLast(_ price: Decimal?) {
            last = price
            if let price {
                let pnl = (price - averageEntry) * quantity
                unrealised = pnl
                lastText = TextFormat.money(price)
                unrealisedText = TextFormat.signedMoney(pnl)
                valueText = TextFormat.money(price * quantity)
            } else {
                unrealised = nil
                lastText = "-"
                unrealisedText = "-"
                valueText = TextFormat.money(averageEntry * quantity)
            }
        }
    }

    /// One order the trade guard refused.
    public struct RejectionRow: Hashable, Sendable {
        public var time: Timestamp
        public var timeText: String
        public var symbol: String
        public var side: OrderSide
        public var quantity: Decimal
        public var quantityText: String
        public var check: String
        public var limit: String
        public var actual: String
        public var message: String

        public init(_ rejection: GuardRejection, at time: Timestamp) {
            self.time = time
            timeText = TextFormat.clock(time)
            symbol = rejection.symbol
            side = rejection.side
            quantity = rejection.quantity
            quantityText = TextFormat.quantity(rejection.quantity)
            check = rejection.check
            limit = rejection.limit
            actual = rejection.actual
            message = rejection.message
            limitVersusActual = rejection.limit + " vs " + rejection.actual
        }

        /// `limit vs actual`, as the narrow layout shows it.
        public var limitVersusActual: String

        /// `BUY` or `SELL`.
        public var sideText: String { side == .buy ? "BUY" : "SELL" }
    }

    /// One line of the Events pane.
    public struct EventLine: Hashable, Sendable {
        public enum Level: Hashable, Sendable {
            case info, warning, error
        }

        public var time: Timestamp
        public var timeText: String
        public var level: Level
        public var text: String
        /// How many times it was logged in a row (repeats are merged into one line).
        public private(set) var count = 1
        /// The time of the latest repeat (`time` is the first).
        public private(set) var lastTime: Timestamp
        /// `lastTime` as `HH:MM:SS`.
        public private(set) var lastTimeText: String

        public init(time: Timestamp, level: Level, text: String) {
            self.time = time
            self.timeText = TextFormat.clock(time)
            self.level = level
            self.text = text
            self.lastTime = time
            self.lastTimeText = timeText
        }

        /// Counts one more repeat, logged at `time`.
        mutating func repeated(at time: Timestamp) {
            count += 1
            if time != lastTime {
                lastTime = time
                lastTimeText = TextFormat.clock(time)
            }
        }

        /// ` ×105 (last 12:03:05)` for a repeated line, empty for one logged once.
        func repeatSuffix(times: Character) -> String {
            count > 1 ? " \(times)\(count) (last \(lastTimeText))" : ""
        }
    }
}
