import Foundation
import Primitives
import TradingModel

/// Everything the console shows, as a value. `ConsoleUpdate` makes a new model from an event, a key or a
/// clock tick; `ConsoleView` draws a model into a `Frame`. Neither reads a clock or touches the terminal.
///
/// The model is split in two: `live` is what the core has told the console (services, positions, …) and
/// keeps updating even while the display is frozen; the rest is the operator's own state (focus,
/// selection, overlay, theme). Freezing copies `live` into `frozenSnapshot`, which the view draws instead.
public struct ConsoleModel: Hashable, Sendable {
    /// What the core reported, at one moment.
    public struct Snapshot: Hashable, Sendable {
        /// The latest time seen, from a tick or an event.
        public var clock: Timestamp?
        /// In the order they first reported.
        public var services: [ServiceRow] = []
        public var overall: OverallHealth?
        public var trading: TradingState?
        /// Sorted by symbol.
        public var positions: [PositionRow] = []
        public var account: AccountSnapshot?
        /// Oldest first, at most `ConsoleModel.equityHistoryLimit`.
        public var equityHistory = EquityHistory(limit: ConsoleModel.equityHistoryLimit)
        /// Newest first, at most `ConsoleModel.rejectionLimit`.
        public var rejections: [RejectionRow] = []
        /// The chaos modes switched on.
        public var chaosOn: Set<ChaosMode> = []
        /// Newest first, at most `ConsoleModel.eventLimit`, repeats merged.
        public var events = EventHistory(capacity: ConsoleModel.eventLimit)
        /// How many lines have ever been logged (more than `events` holds once it is full).
        public var loggedCount: UInt64 = 0
        /// Incidents (chaos, halts and resumes, FAILED and DEGRADED, restarts), oldest first: kept until
        /// the operator clears them, at most `ConsoleModel.pinnedLimit`.
        public var pinned: [EventLine] = []
        /// The latest vital signs (money, ages, API latency, open orders); nil before the first.
        public var vitals: VitalsRow?

        public init() {}
    }

    public static let rejectionLimit = 200
    public static let eventLimit = EventHistory.defaultCapacity
    public static let pinnedLimit = 500
    public static let equityHistoryLimit = 240

    /// SIM, PAPER or LIVE.
    public var broker: BrokerLabel
    /// Started with `--readonly`: every command that changes trading or chaos is refused here, before it
    /// is sent (and the halt file is not created either).
    public var readOnly: Bool
    /// `bulwark attach`: quitting only ends this client; the instance keeps running. Otherwise the console
    /// is the one of `bulwark run`, and quitting asks whether to detach or stop Bulwark.
    public var isAttached: Bool
    /// Whether the data shown is live. While not connected the header and a banner say so.
    public var connection: ConnectionStatus
    /// When the connection was lost: the data shown is as of this moment (nil if there never was any).
    public var dataAsOf: Timestamp?
    /// The sequence number of the last snapshot or event folded in; an event at or before it is stale.
    public var lastSequence: UInt64?
    /// Chaos modes cannot be switched (a live account).
    public var chaosLocked: Bool
    /// The name of the theme in use, as the wiring reports it.
    public var themeName: String
    /// Events the console's own bus subscription lost (the bus keeps the newest).
    public var droppedEvents: UInt64

    public var live: Snapshot
    /// A copy of `live` taken when the operator froze the display; `nil` when not frozen.
    public var frozenSnapshot: Snapshot?

    /// The pane with the keyboard focus.
    public var focus: Pane
    /// The selected row of each pane (0 is the top row).
    public var selection: [Pane: Int]
    /// Help, details or a dialog, drawn on top.
    public var overlay: Overlay?
    /// A message shown instead of the key hints until the next key press.
    public var notice: Notice?
    /// The Chaos pane shows every mode (`c`); folded, it is one summary line.
    public var chaosExpanded = false
    /// The event history's filter field, log view and pinned list.
    public var eventsView = EventsView()
    /// The item an open details overlay shows (it follows the item, live); nil for rows without a key.
    public var detailsItem: ItemKey?

    public init(
        broker: BrokerLabel, readOnly: Bool = false, chaosLocked: Bool? = nil, themeName: String = "default", isAttached: Bool = false,
        connection: ConnectionStatus = .connected
    ) {
        self.broker = broker
        self.readOnly = readOnly
        self.isAttached = isAttached
        self.connection = connection
        self.dataAsOf = nil
        self.lastSequence = nil
        self.chaosLocked = chaosLocked ?? (broker == .live)
        self.themeName = themeName
        self.droppedEvents = 0
        self.live = Snapshot()
        self.frozenSnapshot = nil
        self.focus = .services
        self.selection = [:]
        self.overlay = nil
        self.notice = nil
    }

    /// What the view draws: the frozen copy while frozen, otherwise the live data.
    public var shown: Snapshot { frozenSnapshot ?? live }

    public var isFrozen: Bool { frozenSnapshot != nil }

    /// Connected to the instance: commands can be sent and the data is live.
    public var isConnected: Bool { connection == .connected }

    /// The open dialog, if the overlay is one.
    public var dialog: Dialog? { overlay?.dialog }

    /// Whether `pane` is drawn as a list Tab can focus: the Chaos pane is not while folded or locked, the
    /// Open orders pane not on a short terminal (where only the orders' count is shown).
    public func isFocusable(_ pane: Pane) -> Bool {
        switch pane {
        case .chaos: chaosExpanded && !chaosLocked
        case .orders: isTall(rows: eventsView.screenRows)
        default: true
        }
    }

    /// The first screen row under the header and the banner (when one is shown).
    public var bodyTop: Int { !isConnected || SafetyState(self) != nil ? 2 : 1 }

    /// The rows under the header, banner and above the hint line from which the tall layout is drawn.
    public static let tallBodyRows = 38

    /// Whether a terminal of `rows` rows gets the tall layout (40 rows and more; 41 with a banner): Vital
    /// signs and Open orders then have panes of their own.
    public func isTall(rows: Int) -> Bool { rows - 1 - bodyTop >= Self.tallBodyRows }

    /// The selected row of `pane`, clamped to the rows it has now.
    public func selectedRow(in pane: Pane) -> Int {
        let count = rowCount(of: pane)
        guard count > 0 else { return 0 }
        return max(0, min(count - 1, selection[pane] ?? 0))
    }

    /// How many rows `pane` has in the shown data.
    public func rowCount(of pane: Pane) -> Int {
        let data = shown
        switch pane {
        case .services: return data.services.count
        case .positions: return data.positions.count
        case .rejections: return data.rejections.count
        case .orders: return data.vitals?.orders.count ?? 0
        case .chaos: return ChaosMode.keyed.count
        case .events: return data.events.shownCount
        }
    }

    /// The mode switched by number key `number` (1-based, in `ChaosMode.keyed` order).
    public static func chaosMode(number: Int) -> ChaosMode? {
        let all = ChaosMode.keyed
        guard number >= 1, number <= all.count else { return nil }
        return all[number - 1]
    }
}

extension ConsoleModel.Snapshot {
    /// Adds a line to the Events pane, newest first, dropping the oldest beyond the limit; a repeat of
    /// the newest line is counted on it. An incident also goes to the pinned list.
    mutating func log(_ level: ConsoleModel.EventLine.Level, _ text: String, at time: Timestamp, pinned pin: Bool = false) {
        let line = ConsoleModel.EventLine(time: time, level: level, text: text)
        events.append(line)
        loggedCount += 1
        guard pin else { return }
        if let last = pinned.last, last.level == level, last.text == text {
            pinned[pinned.count - 1].repeated(at: time)
        } else {
            pinned.append(line)
            if pinned.count > ConsoleModel.pinnedLimit { pinned.removeFirst(pinned.count - ConsoleModel.pinnedLimit) }
        }
    }

    /// The index of `symbol` in the sorted positions, or where it would go.
    func positionIndex(of symbol: String) -> (index: Int, found: Bool) {
        var low = 0
        var high = positions.count
        while low < high {
            let middle = (low + high) / 2
            let current = positions[middle].symbol
            if current == symbol { return (middle, true) }
            if current < symbol { low = middle + 1 } else { high = middle }
        }
        return (low, false)
    }
}
