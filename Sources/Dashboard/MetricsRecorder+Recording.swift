import Foundation
import Primitives
import Prometheus
import Synchronization
import TradingModel

extension MetricsRecorder {
    /// The services of the original system, whose restart counters start at 0.
    static let knownServices: [ServiceName] = [.tradingBot, .uwDaemon, .dashboard, .tradeStream, .quoteStream, .heartbeatKeeper]

    func registerKnownSeries() {
        for outcome in OrderOutcome.allCases { _ = counter(.orders, outcome.rawValue) }
        for check in GuardCheck.allCases { _ = counter(.guardRejections, check.rawValue) }
        for errorClass in APIErrorClass.allCases { _ = counter(.apiErrors, errorClass.rawValue) }
        for service in Self.knownServices { _ = counter(.serviceRestarts, service.rawValue) }
        _ = registry.makeCounter(descriptor: MetricDefinition.busEventsPublished.descriptor)
    }

    /// Counts one event. Events that are not counted (positions, quotes, logs, …) are ignored.
    func record(_ event: Event) {
        switch event.kind {
        case .orderSubmitted:
            counter(.orders, OrderOutcome.submitted.rawValue).increment()
        case .orderFilled:
            counter(.orders, OrderOutcome.filled.rawValue).increment()
        case .orderRejected:
            counter(.orders, OrderOutcome.rejected.rawValue).increment()
        case .guardRejected(let rejection):
            counter(.orders, OrderOutcome.guardRejected.rawValue).increment()
            counter(.guardRejections, rejection.check).increment()
        case .apiError(let failure):
            counter(.apiErrors, failure.errorClass.rawValue).increment()
        case .serviceStatus(let service):
            tallies.withLock { observe(service, in: &$0) }
        case .overallHealth(let overall):
            registry.makeGauge(descriptor: MetricDefinition.overallHealth.descriptor).set(to: overall.status.gaugeValue)
        case .account(let account):
            // Decimal → Double only here, at the metrics boundary: Prometheus values are doubles, and the
            // gauge is for dashboards, never for money arithmetic.
            let equity = NSDecimalNumber(decimal: account.equity).doubleValue
            registry.makeGauge(descriptor: MetricDefinition.equity.descriptor).set(to: equity)
        default:
            break
        }
    }

    /// The metrics in Prometheus text format (0.0.4), after reading the values kept outside the event
    /// stream: each live bus subscriber's drops, the events published, and — from `health`, when given, so
    /// `/metrics` never shows a status the health endpoint does not — per-service health, restarts and the
    /// overall status.
    public func exposition(health: HealthReport? = nil) -> [UInt8] {
        let subscribers = bus.subscribers
        let published = bus.publishedCount
        tallies.withLock { tallies in
            if let health {
                for service in health.services { observe(service, in: &tallies) }
                registry.makeGauge(descriptor: MetricDefinition.overallHealth.descriptor).set(to: health.overall.gaugeValue)
            }
            if published > tallies.publishedSeen {
                registry.makeCounter(descriptor: MetricDefinition.busEventsPublished.descriptor)
                    .increment(by: Int64(published - tallies.publishedSeen))
                tallies.publishedSeen = published
            }
            updateDrops(subscribers, in: &tallies)
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        registry.emit(into: &buffer)
        return buffer
    }

    /// Health gauge from `service`'s status; its restart counter grows by how far its restart count went
    /// past the highest one seen (reports may arrive late or twice, so a lower count is not a reset).
    private func observe(_ service: ServiceHealth, in tallies: inout Tallies) {
        gauge(.serviceHealth, service.name.rawValue).set(to: service.status.gaugeValue)
        let seen = tallies.restartsSeen[service.name] ?? 0
        let restarts = counter(.serviceRestarts, service.name.rawValue)
        if service.restarts > seen {
            restarts.increment(by: Int64(service.restarts - seen))
            tallies.restartsSeen[service.name] = service.restarts
        }
    }

    /// One gauge per live subscriber name (subscribers sharing a name are summed); a name that is gone
    /// leaves the output.
    private func updateDrops(_ subscribers: [SubscriberStatistics], in tallies: inout Tallies) {
        var dropped: [String: UInt64] = [:]
        for subscriber in subscribers { dropped[subscriber.name, default: 0] &+= subscriber.dropped }
        for (name, gauge) in tallies.dropGauges where dropped[name] == nil {
            registry.unregisterGauge(gauge)
            tallies.dropGauges[name] = nil
        }
        for (name, count) in dropped {
            let gauge = tallies.dropGauges[name] ?? self.gauge(.busEventsDropped, name)
            tallies.dropGauges[name] = gauge
            gauge.set(to: Double(count))
        }
    }

    private func counter(_ definition: MetricDefinition, _ value: String) -> Counter {
        registry.makeCounter(descriptor: definition.descriptor, labels: [(definition.labels[0], value)])
    }

    private func gauge(_ definition: MetricDefinition, _ value: String) -> Gauge {
        registry.makeGauge(descriptor: definition.descriptor, labels: [(definition.labels[0], value)])
    }
}
