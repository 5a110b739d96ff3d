import Console
import Foundation
import Logging
import Primitives
import Testing
import TradingModel

struct ConsoleEventUpdateTests {
    /// A service report replaces the earlier one by name; a change to FAILED is logged as an error line.
    @Test func servicesAreUpsertedAndFailuresLogged() {
        var model = ConsoleModel(broker: .sim)
        model = Fixture.feed(
            model, .serviceStatus(Fixture.service(.tradingBot, .ok)), .serviceStatus(Fixture.service(.uwDaemon, .ok)),
            .serviceStatus(Fixture.service(.tradingBot, .failed, error: "boom", restarts: 3)))
        #expect(model.live.services.map(\.name) == ["trading-bot", "uw-daemon"])
        #expect(model.live.services[0].status == .failed)
        #expect(model.live.services[0].restarts == 3)
        #expect(model.live.services[0].lastError == "boom")
        #expect(model.live.services[0].reason == .restarts)
        #expect(model.live.events.first?.level == .error)
        #expect(model.live.events.first?.text.contains("trading-bot FAILED") == true)
    }

    /// Positions stay sorted by symbol; quotes set the last price (mid) and the PnL is exact in Decimal.
    @Test func positionsTakeQuotesAndComputePnL() {
        var model = ConsoleModel(broker: .paper)
        model = Fixture.feed(
            model, .positionOpened(Fixture.position("MSFT", "10", at: "100.10")),
            .positionOpened(Fixture.position("AAPL", "-4", at: "50")),
            .quotes([Fixture.quote("MSFT", bid: "102.29", ask: "102.31"), Fixture.quote("AAPL", bid: "51.5", ask: "51.5"),
                     Fixture.quote("TSLA", bid: "1", ask: "2")]))
        let rows = model.live.positions
        #expect(rows.map(\.symbol) == ["AAPL", "MSFT"])
        #expect(rows[1].last == Fixture.decimal("102.3"))
        #expect(rows[1].unrealised == Fixture.decimal("22"))
        #expect(rows[1].unrealisedText == "+22.00")
        #expect(rows[0].unrealised == Fixture.decimal("-6"))
        #expect(rows[0].unrealisedText == "-6.00")
        #expect(rows[0].averageEntryText == "50.00")
    }

    /// A changed position keeps its last price; a closed one disappears and leaves a line with its PnL.
    @Test func positionChangeKeepsLastAndCloseRemoves() {
        var model = Fixture.feed(
            ConsoleModel(broker: .sim), .positionOpened(Fixture.position("AAPL", "10", at: "100")),
            .quotes([Fixture.quote("AAPL", bid: "110", ask: "110")]),
            .positionChanged(Fixture.position("AAPL", "20", at: "105")))
        #expect(model.live.positions[0].unrealised == 100)
        model = Fixture.feed(model, .positionClosed(PositionClose(symbol: Fixture.symbol("AAPL"), closedQuantity: 20, exitPrice: 111, realizedPnL: 120)))
        #expect(model.live.positions.isEmpty)
        #expect(model.live.events.first?.text == "Closed 20 AAPL @ 111.00, realised +120.00")
    }

    /// Guard rejections are kept newest first and bounded; so are event lines and the equity history.
    @Test func listsAreBoundedNewestFirst() {
        var model = ConsoleModel(broker: .sim)
        for index in 0..<(ConsoleModel.rejectionLimit + 25) {
            model = ConsoleUpdate.update(model, event: Fixture.event(.guardRejected(Fixture.rejection("AAPL", check: "c\(index)")), at: Int64(index)))
            model = ConsoleUpdate.update(model, event: Fixture.event(.account(AccountSnapshot(equity: Decimal(index), cash: 0, buyingPower: 0))))
        }
        #expect(model.live.rejections.count == ConsoleModel.rejectionLimit)
        #expect(model.live.rejections.first?.check == "c\(ConsoleModel.rejectionLimit + 24)")
        #expect(model.live.events.count == ConsoleModel.rejectionLimit + 25)
        #expect(model.live.equityHistory.count == min(ConsoleModel.equityHistoryLimit, ConsoleModel.rejectionLimit + 25))
        #expect(model.live.equityHistory.last == Decimal(ConsoleModel.rejectionLimit + 24))
    }

    /// The equity history keeps each reading as it came and in whole cents (rounded half away from zero),
    /// the two trimmed together to the limit, oldest first.
    @Test func equityHistoryKeepsCentsBesideTheReadings() {
        var history = EquityHistory(limit: 3)
        for text in ["100000.125", "-1.005", "99999.994", "7"] { history.append(Decimal(string: text)!) }
        #expect(history.values == ["-1.005", "99999.994", "7"].map { Decimal(string: $0)! })
        #expect(history.cents == [-101, 9_999_999, 700])
        #expect(history.count == 3 && history.last == 7)
    }

    /// Chaos events switch modes on and off and are logged once per change.
    @Test func chaosModesFollowEvents() {
        let model = Fixture.feed(
            ConsoleModel(broker: .sim), .chaosMode(.latency, enabled: true), .chaosMode(.latency, enabled: true),
            .chaosMode(.uwDown, enabled: true), .chaosMode(.latency, enabled: false))
        #expect(model.live.chaosOn == [.uwDown])
        #expect(model.live.events.map(\.text) == ["Chaos latency OFF", "Chaos uw_down ON", "Chaos latency ON"])
    }

    /// The clock comes from ticks and event timestamps and never runs backwards.
    @Test func clockFromTicksAndEvents() {
        var model = ConsoleUpdate.update(ConsoleModel(broker: .sim), tick: Fixture.start.advanced(by: .seconds(100)))
        #expect(model.live.clock == Fixture.start.advanced(by: .seconds(100)))
        model = ConsoleUpdate.update(model, event: Fixture.event(.chaosMode(.latency, enabled: true), at: 50))
        #expect(model.live.clock == Fixture.start.advanced(by: .seconds(100)))
        model = ConsoleUpdate.update(model, event: Fixture.event(.chaosMode(.latency, enabled: false), at: 200))
        #expect(model.live.clock == Fixture.start.advanced(by: .seconds(200)))
        #expect(TextFormat.clock(model.live.clock!) == "15:03:20")
    }

    /// Warnings from the log, API errors, startup steps and command results become short event lines.
    @Test func eventLinesAreShort() {
        let model = Fixture.feed(
            ConsoleModel(broker: .sim),
            .startup(StartupProgress(step: "check APIs", index: 2, total: 3, outcome: .failed, detail: "403")),
            .log(LogLine(level: .warning, label: "guard", message: "slow quote")),
            .apiError(APIFailure(api: "alpaca", endpoint: "/v2/orders", errorClass: .rateLimit, message: "429", attempt: 1, willRetry: true)),
            .commandResult(CommandResult(command: .halt, accepted: true, message: "halted")),
            .tradingState(TradingState(mode: .halted, reason: "operator", actor: .operator, since: Fixture.start)),
            .overallHealth(OverallHealth(status: .failed, reason: .config)))
        let lines = model.live.events.reversed().map { "\($0.level) \($0.text)" }
        #expect(lines == [
            "error Startup 2/3 check APIs failed: 403",
            "warning guard: slow quote",
            "warning alpaca /v2/orders RATE_LIMIT: 429 (attempt 1, retrying)",
            "info halt: accepted - halted",
            "warning Trading HALTED by operator: operator",
            "error Health FAILED FAILED_CONFIG",
        ])
    }

    /// While frozen, events still update the live data but the shown copy stays as it was.
    @Test func freezeKeepsShownCopy() {
        var (model, _) = Fixture.press(ConsoleModel(broker: .sim), .character("f"))
        #expect(model.isFrozen)
        model = Fixture.feed(model, .chaosMode(.latency, enabled: true))
        #expect(model.live.chaosOn == [.latency])
        #expect(model.shown.chaosOn.isEmpty)
        (model, _) = Fixture.press(model, .character("f"))
        #expect(!model.isFrozen)
        #expect(model.shown.chaosOn == [.latency])
    }

    /// The drop count of the console's subscription is kept for the header.
    @Test func droppedEventsAreRecorded() {
        let model = ConsoleUpdate.update(ConsoleModel(broker: .sim), droppedEvents: 17)
        #expect(model.droppedEvents == 17)
    }

    /// Money is written with two decimals, rounded, signed when asked.
    @Test func moneyFormatting() {
        #expect(TextFormat.money(Fixture.decimal("187.2")) == "187.20")
        #expect(TextFormat.money(Fixture.decimal("-3.105")) == "-3.11")
        #expect(TextFormat.money(0) == "0.00")
        #expect(TextFormat.signedMoney(Fixture.decimal("28")) == "+28.00")
        #expect(TextFormat.signedMoney(Fixture.decimal("-0.001")) == "0.00")
        #expect(TextFormat.quantity(Fixture.decimal("0.5")) == "0.5")
    }
}
