import Dashboard
import Foundation
import Primitives
import Testing
import TradingModel

struct MetricsEndpointTests {
    private static func fill(_ id: String) -> EventKind {
        .orderFilled(OrderFill(clientOrderID: id, symbol: Symbol("AAPL")!, side: .buy, quantity: 2, price: Decimal(string: "187.25")!, isComplete: true))
    }

    private static func submission(_ id: String) -> EventKind {
        .orderSubmitted(OrderSubmission(clientOrderID: id, brokerOrderID: "b-\(id)", symbol: Symbol("AAPL")!, side: .buy, quantity: 2))
    }

    private static func networkError(_ attempt: Int) -> EventKind {
        .apiError(APIFailure(api: "alpaca", endpoint: "/v2/orders", errorClass: .network, message: "timed out", attempt: attempt, willRetry: attempt < 3))
    }

    /// After a known sequence of events, `/metrics` (parsed back) holds the exact counts, restarts, health,
    /// equity and per-subscriber drops, and the known label values at 0.
    @Test func countsAKnownSequence() async throws {
        let bus = EventBus()
        let health = StubHealth(
            Harness.report(.degraded, services: [Harness.service(.tradingBot, .ok), Harness.service(.uwDaemon, .degraded, restarts: 2)]))
        try await Harness.withDashboard(health: health, bus: bus) { port, _, recorder in
            let stalled = bus.subscribe(name: "stalled", bufferSize: 2)
            bus.publish(Self.submission("o-1"))
            bus.publish(Self.submission("o-2"))
            bus.publish(Self.fill("o-1"))
            bus.publish(Self.fill("o-2"))
            bus.publish(.guardRejected(GuardRejection(symbol: "AAPL", side: .buy, quantity: 2, check: "cooldown", message: "traded 2 minutes ago", limit: "5", actual: "2")))
            for attempt in 1...3 { bus.publish(Self.networkError(attempt)) }
            bus.publish(.serviceStatus(Harness.service(.uwDaemon, .degraded, restarts: 2)))
            bus.publish(.overallHealth(OverallHealth(status: .degraded, reason: nil)))
            let last = bus.publish(.account(AccountSnapshot(equity: Decimal(string: "100123.45")!, cash: 5000, buyingPower: 10000)))
            try await Harness.waitUntilRecorded(recorder, through: last.sequence)
            #expect(recorder.processed == 11)

            let metrics = try await Harness.scrape(port)
            #expect(metrics.value("bulwark_orders_total", ["outcome": "submitted"]) == 2)
            #expect(metrics.value("bulwark_orders_total", ["outcome": "filled"]) == 2)
            #expect(metrics.value("bulwark_orders_total", ["outcome": "rejected"]) == 0)
            #expect(metrics.value("bulwark_orders_total", ["outcome": "guard_rejected"]) == 1)
            #expect(metrics.value("bulwark_guard_rejections_total", ["check": "cooldown"]) == 1)
            #expect(metrics.value("bulwark_guard_rejections_total", ["check": "max_notional"]) == 0)
            #expect(metrics.value("bulwark_api_errors_total", ["class": "NETWORK"]) == 3)
            for errorClass in APIErrorClass.allCases where errorClass != .network {
                #expect(metrics.value("bulwark_api_errors_total", ["class": errorClass.rawValue]) == 0, "\(errorClass)")
            }
            #expect(metrics.value("bulwark_service_restarts_total", ["service": "uw-daemon"]) == 2)
            #expect(metrics.value("bulwark_service_restarts_total", ["service": "trading-bot"]) == 0)
            #expect(metrics.value("bulwark_service_restarts_total", ["service": "heartbeat-keeper"]) == 0)
            #expect(metrics.value("bulwark_service_health", ["service": "uw-daemon"]) == 1)
            #expect(metrics.value("bulwark_service_health", ["service": "trading-bot"]) == 0)
            #expect(metrics.value("bulwark_overall_health") == 1)
            #expect(metrics.value("bulwark_equity_usd") == 100123.45)
            #expect(metrics.value("bulwark_bus_events_dropped", ["subscriber": "stalled"]) == 9)
            #expect(metrics.value("bulwark_bus_events_dropped", ["subscriber": "metrics"]) == 0)
            #expect(metrics.value("bulwark_bus_events_published_total") == 11)
            #expect(metrics.types["bulwark_orders_total"] == "counter")
            #expect(metrics.types["bulwark_service_health"] == "gauge")
            #expect(metrics.help["bulwark_api_errors_total"]?.isEmpty == false)
            withExtendedLifetime(stalled) {}
        }
    }

    /// `/metrics` answers 200 in the Prometheus text format's content type.
    @Test func contentType() async throws {
        try await Harness.withDashboard(health: StubHealth(Harness.report(.failed))) { port, _, _ in
            let answer = try await Harness.get(port, "/metrics")
            #expect(answer.status == 200)
            #expect(answer.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
        }
    }

    /// Health gauges come from the health source at scrape time, so a stale or lost status event never
    /// shows a greener service than the health endpoint does.
    @Test func healthFollowsTheSourceAtScrapeTime() async throws {
        let bus = EventBus()
        let health = StubHealth(Harness.report(.failed, services: [Harness.service(.tradingBot, .failed)]))
        try await Harness.withDashboard(health: health, bus: bus) { port, _, recorder in
            bus.publish(.serviceStatus(Harness.service(.tradingBot, .ok)))
            let last = bus.publish(.overallHealth(OverallHealth(status: .ok, reason: nil)))
            try await Harness.waitUntilRecorded(recorder, through: last.sequence)
            let metrics = try await Harness.scrape(port)
            #expect(metrics.value("bulwark_service_health", ["service": "trading-bot"]) == 2)
            #expect(metrics.value("bulwark_overall_health") == 2)
        }
    }

    /// Without a health report, status events set the health gauges.
    @Test func healthFromEventsAlone() async throws {
        let bus = EventBus()
        let recorder = MetricsRecorder(bus: bus)
        bus.publish(.serviceStatus(Harness.service(.heartbeatKeeper, .failed, critical: false)))
        let last = bus.publish(.overallHealth(OverallHealth(status: .degraded, reason: nil)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await recorder.run() }
            try await Harness.waitUntilRecorded(recorder, through: last.sequence)
            group.cancelAll()
        }
        let metrics = try PrometheusText(parsing: String(decoding: recorder.exposition(), as: UTF8.self))
        #expect(metrics.value("bulwark_service_health", ["service": "heartbeat-keeper"]) == 2)
        #expect(metrics.value("bulwark_overall_health") == 1)
    }

    /// Restarts count up to the highest count reported; a late, lower report is not counted again.
    @Test func restartsFollowTheHighestCount() async throws {
        let bus = EventBus()
        let recorder = MetricsRecorder(bus: bus)
        for restarts in [1, 3, 2, 3] {
            bus.publish(.serviceStatus(Harness.service(.tradingBot, .degraded, restarts: restarts)))
        }
        let last = bus.publish(.serviceStatus(Harness.service(.tradingBot, .ok, restarts: 4)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await recorder.run() }
            try await Harness.waitUntilRecorded(recorder, through: last.sequence)
            group.cancelAll()
        }
        let metrics = try PrometheusText(parsing: String(decoding: recorder.exposition(), as: UTF8.self))
        #expect(metrics.value("bulwark_service_restarts_total", ["service": "trading-bot"]) == 4)
    }

    /// Before any event, the equity and health gauges are absent (not a fake 0 / OK), while every known
    /// counter is there at 0.
    @Test func nothingGreenBeforeAnyReport() throws {
        let recorder = MetricsRecorder(bus: EventBus())
        let metrics = try PrometheusText(parsing: String(decoding: recorder.exposition(), as: UTF8.self))
        #expect(metrics.samples("bulwark_equity_usd").isEmpty)
        #expect(metrics.samples("bulwark_service_health").isEmpty)
        #expect(metrics.samples("bulwark_overall_health").isEmpty)
        #expect(metrics.samples("bulwark_orders_total").count == OrderOutcome.allCases.count)
        #expect(metrics.samples("bulwark_guard_rejections_total").count == GuardCheck.allCases.count)
        #expect(metrics.samples("bulwark_api_errors_total").count == APIErrorClass.allCases.count)
        #expect(metrics.samples("bulwark_service_restarts_total").count == 6)  // trading-bot, uw-daemon, dashboard, trade-stream, quote-stream, heartbeat-keeper
        #expect(metrics.samples.filter { $0.name.hasSuffix("_total") }.allSatisfy { $0.value == 0 })
    }

    /// A subscriber that leaves the bus leaves the drops gauge too.
    @Test func dropsOfAGoneSubscriberDisappear() throws {
        let bus = EventBus()
        let recorder = MetricsRecorder(bus: bus)
        var transient: EventSubscription? = bus.subscribe(name: "transient", bufferSize: 1)
        bus.publish(.startup(StartupProgress(step: "state", index: 1, total: 3, outcome: .started, detail: "")))
        bus.publish(.startup(StartupProgress(step: "state", index: 1, total: 3, outcome: .succeeded, detail: "")))
        let before = try PrometheusText(parsing: String(decoding: recorder.exposition(), as: UTF8.self))
        #expect(before.value("bulwark_bus_events_dropped", ["subscriber": "transient"]) == 1)
        #expect(transient?.droppedCount == 1)
        transient = nil
        let after = try PrometheusText(parsing: String(decoding: recorder.exposition(), as: UTF8.self))
        #expect(after.samples("bulwark_bus_events_dropped").map { $0.labels["subscriber"] } == ["metrics"])
    }

    /// The dashboard counts its own answers, through swift-metrics, by route and status.
    @Test func countsRequests() async throws {
        try await Harness.withDashboard(health: StubHealth(Harness.report(.failed))) { port, _, _ in
            _ = try await Harness.get(port, "/nowhere")
            _ = try await Harness.get(port, "/api/system/health")
            _ = try await Harness.get(port, "/api/system/health")
            _ = try await Harness.scrape(port)
            let metrics = try await Harness.scrape(port)
            #expect(metrics.value("bulwark_dashboard_requests_total", ["route": "other", "status": "404"]) == 1)
            #expect(metrics.value("bulwark_dashboard_requests_total", ["route": "/api/system/health", "status": "503"]) == 2)
            #expect(metrics.value("bulwark_dashboard_requests_total", ["route": "/metrics", "status": "200"]) == 1)
        }
    }
}
