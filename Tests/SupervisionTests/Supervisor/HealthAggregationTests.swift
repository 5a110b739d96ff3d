import Primitives
import Supervision
import Testing

struct HealthAggregationTests {
    static let time = Timestamp.seconds(1_700_000_000)

    /// Every combination of STARTING / OK / DEGRADED / FAILED over the four services, during the start-up
    /// and after it, follows the rule of DESIGN.md and the README, stated here independently: FAILED iff a
    /// critical is FAILED; else STARTING iff a critical is STARTING or, during the start-up, any is;
    /// else DEGRADED iff a critical is DEGRADED or a supportive is FAILED or STARTING; otherwise OK.
    @Test func everyCombination() {
        let statuses: [HealthStatus] = [.starting, .ok, .degraded, .failed]
        var seen = 0
        for startingUp in [false, true] {
        for bot in statuses { for uw in statuses { for dashboard in statuses { for heartbeat in statuses {
            let services = [
                ServiceHealth(name: .tradingBot, status: bot, isCritical: true, reason: bot == .failed ? .restarts : nil, since: Self.time),
                ServiceHealth(name: .uwDaemon, status: uw, isCritical: true, reason: uw == .failed ? .restarts : nil, since: Self.time),
                ServiceHealth(name: .dashboard, status: dashboard, isCritical: false, since: Self.time),
                ServiceHealth(name: .heartbeatKeeper, status: heartbeat, isCritical: false, since: Self.time),
            ]
            let expected: HealthStatus
            if bot == .failed || uw == .failed {
                expected = .failed
            } else if bot == .starting || uw == .starting || (startingUp && (dashboard == .starting || heartbeat == .starting)) {
                expected = .starting
            } else if bot == .degraded || uw == .degraded || [dashboard, heartbeat].contains(where: { $0 == .failed || $0 == .starting }) {
                expected = .degraded
            } else {
                expected = .ok
            }
            let overall = HealthAggregation.overall(services, startingUp: startingUp)
            #expect(overall.status == expected, "bot \(bot) uw \(uw) dashboard \(dashboard) heartbeat \(heartbeat) starting up \(startingUp)")
            #expect((overall.reason != nil) == (expected == .failed))
            seen += 1
        } } } }
        }
        #expect(seen == 512)
    }

    /// STARTING is never available: the health endpoint answers 503 for it (and for FAILED and STOPPED).
    @Test func onlyOKAndDegradedAreAvailable() {
        #expect(HealthStatus.allCases.filter(\.isAvailable) == [.ok, .degraded])
    }

    /// The reason of a FAILED system is its failed critical services' most persistent one; a failed
    /// supportive service never gives a reason.
    @Test func reasonPrecedence() {
        func failed(_ name: ServiceName, _ critical: Bool, _ reason: FailureReason?) -> ServiceHealth {
            ServiceHealth(name: name, status: .failed, isCritical: critical, reason: reason, since: Self.time)
        }
        #expect(HealthAggregation.overall([failed(.tradingBot, true, .restarts), failed(.uwDaemon, true, .config)]).reason == .config)
        #expect(HealthAggregation.overall([failed(.tradingBot, true, .apiSchema), failed(.uwDaemon, true, .restarts)]).reason == .apiSchema)
        #expect(HealthAggregation.overall([failed(.tradingBot, true, nil)]).reason == .service)
        #expect(HealthAggregation.overall([failed(.dashboard, false, .config)]) == OverallHealth(status: .degraded, reason: nil))
        #expect(HealthAggregation.overall([]) == OverallHealth(status: .ok, reason: nil))
    }

    /// Trading held by a system hold: DEGRADED with its reason where the services alone say OK or DEGRADED;
    /// STARTING and FAILED are left as they are.
    @Test func systemHoldIsNeverOK() {
        let ok = [ServiceHealth(name: .tradingBot, status: .ok, isCritical: true, since: Self.time)]
        #expect(HealthAggregation.overall(ok) == OverallHealth(status: .ok, reason: nil))
        #expect(HealthAggregation.overall(ok, systemHold: .journal) == OverallHealth(status: .degraded, reason: .journal))
        let starting = [ServiceHealth(name: .tradingBot, status: .starting, isCritical: true, since: Self.time)]
        #expect(HealthAggregation.overall(starting, systemHold: .state).status == .starting)
        let failed = [ServiceHealth(name: .tradingBot, status: .failed, isCritical: true, reason: .config, since: Self.time)]
        #expect(HealthAggregation.overall(failed, systemHold: .state) == OverallHealth(status: .failed, reason: .config))
    }
}
