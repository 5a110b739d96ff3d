import Benchmarks
import Foundation
import TestSupport
import Testing

/// A local client holding connections to the dashboard and the exchange cannot starve a trading instance.
struct ExhaustionTests {
    /// At a limit of 1,024 open files, a headless instance keeps filling orders, and its health stays OK,
    /// while 600 idle and 100 slow connections are held to its dashboard and as many to its exchange
    /// (1,400 in all, reopened as they are closed), and it stops cleanly afterwards.
    @Test
    func manyConnectionsDoNotStopTrading() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        // Tiny exits and no cooldown keep positions turning over, so fills go on for as long as trading does
        // (with the default exits the guard's caps stop new entries after a couple of dozen fills).
        let binary = try RunningBinary(
            ["run", "--headless"], in: path,
            environment: [
                "DASHBOARD_PORT": "any", "TAKE_PROFIT_PCT": "0.0001", "STOP_LOSS_PCT": "0.0001", "MIN_COOLDOWN_MINUTES": "0",
                // Fresh alerts strong enough to trade on (the start-up backlog is skipped as stale).
                "MIN_FLOW_PREMIUM_USD": "1", "MIN_ASK_SIDE_SHARE": "0.01",
            ],
            descriptorLimit: 1024)
        #expect(try await eventually(within: 60) { binary.stderr.contains("start-up done") }, "\(binary.stderr.suffix(2000))")
        let dashboard = try await binary.dashboardPort()
        let exchange = try await binary.boundPort(logLine: "embedded paper exchange listening")
        #expect(try await eventually(within: 90) { InstanceFolder.filledOrders(in: path) > 0 }, "no fill before the flood")

        let flood = ConnectionFlood(targets: [.init(port: dashboard, idle: 600, slow: 100), .init(port: exchange, idle: 600, slow: 100)])
        flood.start()
        // The servers are full once they have closed 300 hostile connections, each held through an idle
        // timeout; then two more orders must fill while the flood goes on.
        let full = try await eventually(within: 60) { flood.closedSoFar >= 300 }
        let before = InstanceFolder.filledOrders(in: path)
        let traded = try await eventually(within: 120) { InstanceFolder.filledOrders(in: path) >= before + 2 }
        let health = InstanceFolder.overallHealth(in: path)
        let figures = await flood.stop()
        #expect(full, "the servers closed only \(figures.closedByServer) hostile connections in 60 s")
        #expect(traded, "fills \(before) → \(InstanceFolder.filledOrders(in: path)) under the flood; health \(health)")
        #expect(health == "OK", "overall health \(health)")
        #expect(!binary.stderr.contains("Too many open files"), "\(binary.stderr.suffix(2000))")
        binary.send(SIGTERM)
        let status = try await binary.exitStatus(within: 60)
        // A crash's reason ("Fatal error: …") comes before a backtrace longer than any tail shown here.
        let fatal = binary.stderr.split(separator: "\n").filter { $0.contains("Fatal error") }.joined(separator: "\n")
        #expect(status == 0, "\(fatal)\n\(binary.stderr.suffix(1500))")
    }
}
