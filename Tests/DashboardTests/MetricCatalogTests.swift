import Dashboard
import Foundation
import Primitives
import Testing
import TradingModel

struct MetricCatalogTests {
    /// Every metric `/metrics` can show is in the catalog, with the catalog's type and labels.
    @Test func exposedMetricsAreCatalogued() async throws {
        let bus = EventBus()
        let health = StubHealth(Harness.report(.ok, services: [Harness.service(.tradingBot, .ok)]))
        try await Harness.withDashboard(health: health, bus: bus) { port, _, recorder in
            let last = bus.publish(.account(AccountSnapshot(equity: 1, cash: 1, buyingPower: 1)))
            try await Harness.waitUntilRecorded(recorder, through: last.sequence)
            _ = try await Harness.get(port, "/api/system/health")
            let metrics = try await Harness.scrape(port)
            let catalog = Dictionary(uniqueKeysWithValues: MetricDefinition.all.map { ($0.name, $0) })
            #expect(Set(metrics.types.keys) == Set(catalog.keys))
            for (name, type) in metrics.types {
                #expect(catalog[name]?.kind.rawValue == type, "\(name)")
            }
            for sample in metrics.samples {
                #expect(Set(sample.labels.keys) == Set(catalog[sample.name]?.labels ?? []), "\(sample.name)")
            }
        }
    }

    /// The README's "Dashboard and metrics" section names every metric with its labels.
    @Test func readmeListsEveryMetric() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Dashboard and metrics").dropFirst().first)
        let body = section.components(separatedBy: "\n## ").first ?? section
        for metric in MetricDefinition.all {
            let row = body.split(separator: "\n").first { $0.hasPrefix("| `\(metric.name)") }
            #expect(row != nil, "README lacks a row for \(metric.name)")
            for label in metric.labels {
                #expect(row?.contains("`\(label)`") == true, "README row for \(metric.name) lacks its label \(label)")
            }
        }
    }
}
