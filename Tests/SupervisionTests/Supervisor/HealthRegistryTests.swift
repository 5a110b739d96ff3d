import Foundation
import Primitives
import Supervision
import TestSupport
import Testing
import TradingModel

struct HealthRegistryTests {
    static func document(_ path: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func service(_ document: [String: Any], _ name: String) -> [String: Any]? {
        (document["services"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    static func status(_ path: String) throws -> String? {
        try document(path)["status"] as? String
    }

    /// Every standard service but `except` makes its first real report: it serves.
    static func serving(_ registry: HealthRegistry, except: Set<ServiceName> = []) {
        for (name, _) in HealthRegistry.standardServices where !except.contains(name) {
            registry.report(name, from: .service, status: .ok)
        }
    }

    /// The health file after each change: per-service status, reason, detail, restarts, last error and the
    /// overall status with its reason; the trading state; updated_at from the clock.
    @Test func fileAfterEachChange() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/health.json"
            let clock = ManualClock()
            let registry = HealthRegistry(services: HealthRegistry.standardServices, path: path, clock: clock, bus: nil, logger: LogCapture().logger)
            registry.writeNow()
            var document = try Self.document(path)
            #expect(document["status"] as? String == "STARTING")
            Self.serving(registry)
            document = try Self.document(path)
            #expect(document["status"] as? String == "OK")
            #expect(document["reason"] is NSNull)
            #expect((document["services"] as? [Any])?.count == 4)
            #expect(Self.service(document, "trading-bot")?["critical"] as? Bool == true)
            #expect(Self.service(document, "dashboard")?["critical"] as? Bool == false)

            clock.advance(by: .seconds(5))
            registry.report(.dashboard, from: .supervisor, status: .failed, detail: "given up", reason: .restarts, error: "port in use")
            document = try Self.document(path)
            #expect(document["status"] as? String == "DEGRADED")
            #expect(Self.service(document, "dashboard")?["last_error"] as? String == "port in use")
            #expect(Self.service(document, "dashboard")?["since"] as? String == clock.now.rfc3339)

            registry.recordRestart(.uwDaemon)
            registry.report(.uwDaemon, from: .service, status: .failed, detail: "refused", reason: .config)
            document = try Self.document(path)
            #expect(document["status"] as? String == "FAILED")
            #expect(document["reason"] as? String == "FAILED_CONFIG")
            #expect(Self.service(document, "uw-daemon")?["restarts"] as? Int == 1)
            #expect(Self.service(document, "uw-daemon")?["detail"] as? String == "refused")

            registry.setTradingState(TradingState(mode: .halted, reason: "FAILED_CONFIG: x", actor: .system, since: clock.now))
            document = try Self.document(path)
            #expect((document["trading"] as? [String: Any])?["mode"] as? String == "HALTED")

            registry.report(.uwDaemon, from: .service, status: .ok)
            document = try Self.document(path)
            #expect(document["status"] as? String == "DEGRADED")
            #expect(Self.service(document, "uw-daemon")?["status"] as? String == "OK")
            #expect(document["updated_at"] as? String == clock.now.rfc3339)
        }
    }

    /// An error reported through the one error model reaches health.json as its operator text and its
    /// code; a later error without a code clears the code.
    @Test func errorCodeInTheFile() throws {
        struct Refused: OperatorError {
            var description: String { "the broker refused the key" }
            var errorCode: String { "api.auth" }
        }
        try withTemporaryDirectory { folder in
            let path = folder + "/health.json"
            let registry = HealthRegistry(
                services: HealthRegistry.standardServices, path: path, clock: ManualClock(), bus: nil, logger: LogCapture().logger)
            registry.report(.tradingBot, from: .service, status: .failed, detail: "refused", reason: .config, error: Refused())
            var service = try #require(Self.service(try Self.document(path), "trading-bot"))
            #expect(service["last_error"] as? String == "the broker refused the key")
            #expect(service["last_error_code"] as? String == "api.auth")
            #expect(registry.service(.tradingBot)?.lastErrorCode == "api.auth")

            registry.report(.tradingBot, from: .service, status: .degraded, error: "slow")
            service = try #require(Self.service(try Self.document(path), "trading-bot"))
            #expect(service["last_error"] as? String == "slow")
            #expect(service["last_error_code"] is NSNull)
        }
    }

    /// Trading held by a system hold (a failed state write) makes the system DEGRADED with that reason —
    /// never OK — written and published; released, it is OK again; the operator's own halt leaves it OK.
    @Test func systemHoldIsNeverOK() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock()
            let bus = EventBus(clock: clock)
            let path = directory + "/health.json"
            let registry = HealthRegistry(services: HealthRegistry.standardServices, path: path, clock: clock, bus: bus, logger: LogCapture().logger)
            Self.serving(registry)
            #expect(registry.overall == OverallHealth(status: .ok, reason: nil))
            let events = bus.subscribe(name: "test")
            let held = TradingState(mode: .halted, reason: "FAILED_STATE: disk full", actor: .system, since: clock.now)
            registry.setTradingState(held, systemHold: .state)
            #expect(registry.overall == OverallHealth(status: .degraded, reason: .state))
            let document = try Self.document(path)
            #expect(document["status"] as? String == "DEGRADED")
            #expect(document["reason"] as? String == "FAILED_STATE")
            #expect(await events.take(1).map(\.kind.name) == ["overall_health"])

            registry.setTradingState(TradingState(mode: .active, reason: nil, actor: .system, since: clock.now))
            #expect(registry.overall == OverallHealth(status: .ok, reason: nil))
            registry.setTradingState(TradingState(mode: .halted, reason: "halted by the operator", actor: .operator, since: clock.now))
            #expect(registry.overall == OverallHealth(status: .ok, reason: nil))
            registry.report(.uwDaemon, from: .service, status: .failed, detail: "refused", reason: .config)
            registry.setTradingState(held, systemHold: .state)
            #expect(registry.overall == OverallHealth(status: .failed, reason: .config), "FAILED stays FAILED")
        }
    }

    /// The worst condition of all sources is in force: clearing one source never hides another's.
    @Test func worstSourceWins() {
        let registry = HealthRegistry(services: HealthRegistry.standardServices, path: nil, clock: ManualClock(), bus: nil, logger: LogCapture().logger)
        Self.serving(registry, except: [.tradingBot])
        registry.report(.tradingBot, from: .watchdog, status: .degraded, detail: "loop stalled")
        registry.report(.tradingBot, from: .service, status: .failed, detail: "refused", reason: .config)
        #expect(registry.service(.tradingBot)?.status == .failed)
        registry.report(.tradingBot, from: .service, status: .ok)
        #expect(registry.service(.tradingBot)?.status == .degraded)
        #expect(registry.service(.tradingBot)?.detail == "loop stalled")
        registry.report(.tradingBot, from: .watchdog, status: .ok)
        #expect(registry.service(.tradingBot)?.status == .ok)
        #expect(registry.overall == OverallHealth(status: .ok, reason: nil))
    }

    /// Every change is published on the bus (service, then overall), a recovery included, and overall
    /// observers are told once per overall change.
    @Test func publishesChangesAndRecoveries() async {
        let clock = ManualClock()
        let bus = EventBus(clock: clock)
        let capture = LogCapture()
        let registry = HealthRegistry(services: HealthRegistry.standardServices, path: nil, clock: clock, bus: bus, logger: capture.logger)
        Self.serving(registry)
        let seen = LockedBox<[OverallHealth]>([])
        registry.observeOverall { overall, _ in seen.withLock { $0.append(overall) } }
        let events = bus.subscribe(name: "test")
        registry.report(.tradingBot, from: .service, status: .degraded, detail: "broker unreachable")
        registry.report(.tradingBot, from: .service, status: .degraded, detail: "broker unreachable")
        registry.report(.tradingBot, from: .service, status: .ok)
        bus.finish()
        var names: [String] = []
        for await event in events {
            switch event.kind {
            case .serviceStatus(let health): names.append("\(health.name)=\(health.status.rawValue)")
            case .overallHealth(let overall): names.append("overall=\(overall.status.rawValue)")
            default: break
            }
        }
        #expect(names == ["trading-bot=DEGRADED", "overall=DEGRADED", "trading-bot=OK", "overall=OK"])
        #expect(seen.value.map(\.status) == [.degraded, .ok])
        #expect(capture.contains("service recovered"))
    }

    /// Nothing is OK before it says so: every service and the system are STARTING (the file says so)
    /// until each service's own first report; the supervisor's and the watchdog's reports end nothing.
    /// After the start-up, a supportive service starting again only degrades; a critical one is STARTING.
    @Test func startingUntilEachServiceReports() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/health.json"
            let capture = LogCapture()
            let registry = HealthRegistry(services: HealthRegistry.standardServices, path: path, clock: ManualClock(), bus: nil, logger: capture.logger)
            registry.writeNow()
            var status = try Self.status(path)
            #expect(status == "STARTING")
            #expect(registry.services.allSatisfy { $0.status == .starting })
            for (name, _) in HealthRegistry.standardServices { registry.starting(name) }
            registry.report(.tradingBot, from: .watchdog, status: .ok)
            registry.report(.tradingBot, from: .supervisor, status: .ok)
            #expect(registry.service(.tradingBot)?.status == .starting)
            registry.report(.tradingBot, from: .service, status: .ok)
            #expect(registry.service(.tradingBot)?.status == .ok)
            #expect(registry.overall.status == .starting)
            registry.report(.uwDaemon, from: .service, status: .ok)
            registry.report(.dashboard, from: .service, status: .ok)
            status = try Self.status(path)
            #expect(status == "STARTING", "heartbeat-keeper has not reported yet")
            registry.report(.heartbeatKeeper, from: .service, status: .ok)
            status = try Self.status(path)
            #expect(status == "OK")
            #expect(capture.contains("service serving") && !capture.contains("service recovered"))

            registry.starting(.dashboard)
            #expect(registry.service(.dashboard)?.status == .starting)
            #expect(registry.overall.status == .degraded, "a supportive service starting again degrades")
            registry.starting(.tradingBot)
            #expect(registry.overall.status == .starting, "a critical service starting again is not yet known to serve")
        }
    }

    /// A restart is counted with its time and reason (in the file too), and restarts the STARTING spell.
    @Test func restartCountsWithReasonAndTime() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/health.json"
            let clock = ManualClock()
            let registry = HealthRegistry(services: HealthRegistry.standardServices, path: path, clock: clock, bus: nil, logger: LogCapture().logger)
            Self.serving(registry)
            clock.advance(by: .seconds(30))
            registry.starting(.tradingBot, restartReason: "the core was torn down")
            let bot = try #require(registry.service(.tradingBot))
            #expect(bot.restarts == 1 && bot.status == .starting && bot.since == clock.now)
            #expect(bot.lastRestart == ServiceHealth.Restart(at: clock.now, reason: "the core was torn down"))
            let document = try Self.document(path)
            let restart = Self.service(document, "trading-bot")?["last_restart"] as? [String: Any]
            #expect(restart?["at"] as? String == clock.now.rfc3339 && restart?["reason"] as? String == "the core was torn down")
            #expect(Self.service(document, "uw-daemon")?["last_restart"] is NSNull)
        }
    }

    /// A clean stop writes STOPPED, with the time, for the system and every service; nothing changes after.
    @Test func cleanStopWritesStopped() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/health.json"
            let clock = ManualClock()
            let registry = HealthRegistry(services: HealthRegistry.standardServices, path: path, clock: clock, bus: nil, logger: LogCapture().logger)
            Self.serving(registry)
            clock.advance(by: .seconds(90))
            registry.stop()
            registry.report(.tradingBot, from: .service, status: .degraded, detail: "late")
            let document = try Self.document(path)
            #expect(document["status"] as? String == "STOPPED")
            #expect(document["updated_at"] as? String == clock.now.rfc3339)
            for (name, _) in HealthRegistry.standardServices {
                #expect(Self.service(document, name.rawValue)?["status"] as? String == "STOPPED")
                #expect(Self.service(document, name.rawValue)?["since"] as? String == clock.now.rfc3339)
            }
            #expect(registry.overall.status == .stopped)
        }
    }
}
