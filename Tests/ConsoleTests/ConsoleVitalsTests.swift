import Console
import Foundation
import Primitives
import Testing
import TradingModel

/// Vital signs, open orders, selection that follows its item, live details and the close key.
struct ConsoleVitalsTests {
    let model = Fixture.sample()

    private static func vitals(heartbeat: Int64, poll: Int64, exposure: String = "1000", orders: [OpenOrder] = []) -> VitalSigns {
        VitalSigns(
            equity: 10_000, cash: Fixture.decimal("2500.5"), buyingPower: 20_000, realizedToday: Fixture.decimal("-3.456"), realizedTotal: 40,
            unrealized: 0, exposure: Fixture.decimal(exposure), exposureLimit: Fixture.decimal("0.3"), lastPoll: Fixture.start.advanced(by: .seconds(poll)),
            heartbeat: Fixture.start.advanced(by: .seconds(heartbeat)),
            apis: [APIVitals(api: "alpaca", calls: 4, errors: 2, p50: .microseconds(420), p99: .milliseconds(45))], openOrders: orders)
    }

    /// A `.vitals` event is formatted once: money with two decimals, exposure against its limit as
    /// percentages, latency in readable units, open orders with their limit or "market".
    @Test func vitalsAreFormattedOnArrival() throws {
        let order = OpenOrder(
            clientOrderID: "bw-9", symbol: Fixture.symbol("AMD"), side: .sell, quantity: 2, limitPrice: nil, status: .submitted, submittedAt: Fixture.start)
        let next = Fixture.feed(model, .vitals(Self.vitals(heartbeat: 0, poll: 0, exposure: "3000", orders: [order])))
        let row = try #require(next.live.vitals)
        #expect(row.cash == "2500.50")
        #expect(row.realizedToday == "-3.46")
        #expect(row.realizedTotal == "+40.00")
        #expect(row.exposure == "30%")
        #expect(row.exposureLimit == "30%")
        #expect(row.exposureAtLimit)
        #expect(row.apis.first?.p50 == "0.4ms")
        #expect(row.apis.first?.p99 == "45ms")
        #expect(row.orders.map(\.limit) == ["market"])
        #expect(row.orders.map(\.side) == ["SELL"])
    }

    /// An age past its threshold is a warning, in words too (a `!`); an expected quote only while
    /// positions are held; a flow alert never (alerts come when they come).
    @Test func staleAgesWarn() {
        let signs = Self.vitals(heartbeat: 0, poll: 0)
        let now = Fixture.start.advanced(by: .seconds(11))
        #expect(VitalAge.heartbeat.reading(signs, at: now, holdingPositions: false) == ("11s!", true))
        #expect(VitalAge.heartbeat.reading(signs, at: Fixture.start.advanced(by: .seconds(10)), holdingPositions: false) == ("10s", false))
        #expect(VitalAge.poll.reading(signs, at: now, holdingPositions: false) == ("11s", false))
        #expect(VitalAge.poll.reading(signs, at: Fixture.start.advanced(by: .seconds(61)), holdingPositions: false) == ("1m 01s!", true))
        #expect(VitalAge.quote.reading(signs, at: now, holdingPositions: true) == ("-", false))
        var quoted = signs
        quoted.lastQuote = Fixture.start
        let later = Fixture.start.advanced(by: .seconds(300))
        #expect(VitalAge.quote.reading(quoted, at: later, holdingPositions: false).stale == false)
        #expect(VitalAge.quote.reading(quoted, at: later, holdingPositions: true).stale)
        quoted.lastFlowAlert = Fixture.start
        #expect(VitalAge.flowAlert.reading(quoted, at: later.advanced(by: .seconds(86_400)), holdingPositions: true).stale == false)
    }

    /// The strip of a short terminal shows the figures and marks a stalled heartbeat; the frame says it.
    @Test func stripShowsAStall() {
        let stalled = Fixture.feed(model, .vitals(Self.vitals(heartbeat: 3_560, poll: 3_590)))
        let lines = ConsoleView.view(stalled, size: (80, 24), glyphs: .unicode).lines
        #expect(lines.contains { $0.contains("Cash 2500.50") && $0.contains("PnL day -3.46 all +40.00") })
        #expect(lines.contains { $0.contains("hb 40s!") && $0.contains("poll 10s ") })
        #expect(lines.contains { $0.contains("API 45ms alpaca 2err") })
    }

    /// The selection stays on its position when one opens above it, and on its rejection when newer
    /// ones arrive on top; a never-moved selection stays on the top row.
    @Test func selectionFollowsTheItem() {
        var next = Fixture.press(model, .tab, .down).0  // Positions: AMZN, the second
        #expect(next.selectedRow(in: .positions) == 1)
        next = Fixture.feed(next, .positionOpened(Fixture.position("AA", "1", at: "10")))
        #expect(next.live.positions[next.selectedRow(in: .positions)].symbol == "AMZN")
        next = Fixture.press(next, .tab, .down).0  // Guard rejections, the second
        let selected = next.live.rejections[1]
        next = Fixture.feed(next, .guardRejected(Fixture.rejection("NEW")), .guardRejected(Fixture.rejection("NEWER")))
        #expect(next.live.rejections[next.selectedRow(in: .rejections)] == selected)
        let untouched = Fixture.feed(model, .positionOpened(Fixture.position("AA", "1", at: "10")))
        #expect(untouched.selectedRow(in: .positions) == 0)
    }

    /// Details follow their item live (a new quantity shows) and say so when it is gone, above what
    /// was last seen; the selection of a gone item stays in range.
    @Test func detailsAreLiveAndSayWhenGone() throws {
        var next = Fixture.press(model, .tab, .down, .enter).0  // AMZN
        guard case .details(let title, _) = next.overlay else { throw Failure("no details") }
        #expect(title == "Position AMZN")
        next = Fixture.feed(next, .positionChanged(Fixture.position("AMZN", "2", at: "129.48")))
        guard case .details(_, let lines) = next.overlay else { throw Failure("details closed") }
        #expect(lines.contains { $0.hasPrefix("Quantity:") && $0.hasSuffix(" 2") })
        next = Fixture.feed(next, .positionClosed(PositionClose(symbol: Fixture.symbol("AMZN"), closedQuantity: 2, exitPrice: 130, realizedPnL: 1)))
        guard case .details(let goneTitle, let goneLines) = next.overlay else { throw Failure("details closed") }
        #expect(goneTitle == "Position AMZN (gone)")
        #expect(goneLines.first == "GONE: AMZN is no longer held (the position closed).")
        #expect(goneLines.contains { $0.hasPrefix("Quantity:") && $0.hasSuffix(" 2") })
        next = Fixture.feed(next, .quotes([Fixture.quote("AAPL", bid: "1", ask: "1")]))
        guard case .details(_, let again) = next.overlay else { throw Failure("details closed") }
        #expect(again.filter { $0.hasPrefix("GONE") }.count == 1)
        #expect(next.selectedRow(in: .positions) < next.live.positions.count)
    }

    /// `C` on the Positions pane asks to close the selected position with Cancel focused (Enter
    /// cancels); `y` sends the close; read-only refuses it; elsewhere it says where it works.
    @Test func closeKeyAsksThenSends() throws {
        let focused = Fixture.press(model, .tab, .down).0  // Positions, the second row
        let symbol = focused.live.positions[1].symbol
        let asked = Fixture.press(focused, .character("C")).0
        let dialog = try #require(asked.dialog)
        #expect(dialog.title == "Close \(symbol)?")
        #expect(dialog.focus == .cancel)
        #expect(Fixture.press(asked, .enter).1.isEmpty)
        let (closed, effects) = Fixture.press(asked, .character("y"))
        #expect(effects == [.send(.closePosition(Fixture.symbol(symbol)))])
        #expect(closed.overlay == nil)
        var readOnly = focused
        readOnly.readOnly = true
        let refused = Fixture.press(readOnly, .character("C"))
        #expect(refused.1.isEmpty)
        #expect(refused.0.dialog == nil)
        #expect(refused.0.notice?.text.contains("Read-only console") == true)
        let elsewhere = Fixture.press(model, .character("C"))
        #expect(elsewhere.0.dialog == nil)
        #expect(elsewhere.0.notice?.text.contains("Positions pane") == true)
    }

    /// An attached console takes the vital signs from its first snapshot.
    @Test func snapshotCarriesVitals() {
        let snapshot = ControlSnapshot(takenAt: Fixture.start, broker: "SIM", chaosLocked: false, vitals: Self.vitals(heartbeat: 0, poll: 0))
        let next = ConsoleUpdate.update(ConsoleModel(broker: .unknown), input: .snapshot(snapshot))
        #expect(next.live.vitals?.equity == "10000.00")
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    private static func order(_ id: String, _ symbol: String, status: OpenOrder.Status = .submitted) -> OpenOrder {
        OpenOrder(
            clientOrderID: id, symbol: Fixture.symbol(symbol), side: .buy, quantity: 3, limitPrice: Fixture.decimal("101.25"), status: status,
            submittedAt: Fixture.start)
    }

    /// The Open orders pane is a list like the others on a tall terminal: Tab reaches it (after Guard
    /// rejections), the selection follows its order as others arrive above it, Enter shows the order and
    /// keeps it up to date, and says GONE once it is no longer open. On a short terminal, where only the
    /// orders' count is shown, Tab skips it, and shrinking the terminal moves the focus off it.
    @Test func openOrdersPaneIsFocusableWhereItIsDrawn() throws {
        let short = Fixture.feed(model, .vitals(Self.vitals(heartbeat: 0, poll: 0, orders: [Self.order("bw-1", "AMD"), Self.order("bw-2", "TSLA")])))
        #expect(Fixture.press(short, .tab, .tab, .tab).0.focus == .events, "at 24 rows Tab skips Open orders (and the folded Chaos pane)")
        let tall = ConsoleUpdate.update(short, screenRows: 60)
        var next = Fixture.press(tall, .tab, .tab, .tab).0
        #expect(next.focus == .orders)
        #expect(Fixture.press(next, .tab).0.focus == .events)
        #expect(Fixture.press(next, .backTab).0.focus == .rejections)

        next = Fixture.press(next, .down).0  // TSLA, the second
        next = Fixture.feed(next, .vitals(Self.vitals(heartbeat: 0, poll: 0, orders: [Self.order("bw-0", "AA"), Self.order("bw-1", "AMD"), Self.order("bw-2", "TSLA")])))
        #expect(next.selectedRow(in: .orders) == 2, "the selection stays on TSLA's order")

        next = Fixture.press(next, .enter).0
        guard case .details(let title, let lines) = next.overlay else { throw Failure("no details") }
        #expect(title == "Order BUY 3 TSLA")
        #expect(lines.contains("Status:           submitted"))
        #expect(lines.contains("Limit:            101.25"))
        #expect(lines.contains("Client order id:  bw-2"))
        next = Fixture.feed(next, .vitals(Self.vitals(heartbeat: 0, poll: 0, orders: [Self.order("bw-2", "TSLA", status: .partiallyFilled)])))
        guard case .details(_, let live) = next.overlay else { throw Failure("details closed") }
        #expect(live.contains("Status:           partially filled"), "\(live)")
        next = Fixture.feed(next, .vitals(Self.vitals(heartbeat: 0, poll: 0, orders: [])))
        guard case .details(let goneTitle, let gone) = next.overlay else { throw Failure("details closed") }
        #expect(goneTitle == "Order BUY 3 TSLA (gone)")
        #expect(gone.first == "GONE: the order is no longer open (filled, cancelled, expired or rejected: see Events).")

        let shrunk = ConsoleUpdate.update(Fixture.press(tall, .tab, .tab, .tab).0, screenRows: 24)
        #expect(shrunk.focus == .services)
    }

    /// At 200×60 the focused Open orders pane draws its border in the focus style and highlights the
    /// selected order; with more orders than rows, its border says which one of how many is selected.
    @Test func focusedOpenOrdersAreHighlighted() throws {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let orders = (0..<40).map { Self.order("bw-\($0)", "Q\(letters[$0 / 26])\(letters[$0 % 26])") }  // QAA … QBN
        var next = ConsoleUpdate.update(Fixture.feed(model, .vitals(Self.vitals(heartbeat: 0, poll: 0, orders: orders))), screenRows: 60)
        next = Fixture.press(next, .tab, .tab, .tab, .character("G")).0
        let frame = ConsoleView.view(next, size: (200, 60), glyphs: .unicode)
        let lines = frame.lines
        let title = try #require(lines.firstIndex { $0.contains("Open orders (40)") })
        #expect(lines[title].contains("40/40"), "\(lines[title])")
        let selected = try #require(lines.firstIndex { $0.contains("QBN ") })
        let column = try #require(lines[selected].range(of: "QBN ")).lowerBound.utf16Offset(in: lines[selected])
        #expect(frame[selected, column].style.role == ThemeRole.selection)
    }
}
