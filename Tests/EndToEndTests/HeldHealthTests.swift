import Foundation
import TestSupport
import Testing

/// Health is never OK while trading is held by a system hold, through the built binary.
@Suite(.serialized)
struct HeldHealthTests {
    /// Overall status and reason, and the trading mode and reason, as the instance wrote them.
    private struct Health: Sendable, CustomStringConvertible {
        var overall: String?
        var reason: String?
        var trading: String?
        var tradingReason: String?

        init(_ folder: String) {
            let data = FileManager.default.contents(atPath: folder + "/state/health.json") ?? Data()
            let document = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
            overall = document["status"] as? String
            reason = document["reason"] as? String
            let trading = document["trading"] as? [String: Any]
            self.trading = trading?["mode"] as? String
            tradingReason = trading?["reason"] as? String
        }

        var description: String { "\(overall ?? "-") (\(reason ?? "-")), trading \(trading ?? "-") (\(tradingReason ?? "-"))" }
    }

    /// With a folder in the state file's place, the operator's halt cannot be written: trading is held
    /// FAILED_STATE, and while it is `state/health.json` and `GET /api/system/health` say DEGRADED
    /// (FAILED_STATE), never OK (both said OK before); once the folder is gone the write is retried, the
    /// hold released, and health is OK again with trading HALTED by the operator.
    @Test func failedStateWriteIsNeverOK() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let binary = try RunningBinary(["run", "--headless", "--dashboard-port", "any"], in: path)
        let port = try await binary.dashboardPort()
        let endpoint = "http://127.0.0.1:\(port)/api/system/health"
        let ready = try await eventually(within: 90) {
            let health = Health(path)
            return health.trading == "ACTIVE" && health.overall == "OK"
                && (try? Curl.runBlocking([endpoint]))?.json?["status"] as? String == "OK"
        }
        try #require(ready, "never ACTIVE and OK; stderr: \(binary.stderr.suffix(2000))")

        let statePath = path + "/state/trading_state.json"
        try FileManager.default.removeItem(atPath: statePath)
        try FileManager.default.createDirectory(atPath: statePath + "/in-the-way", withIntermediateDirectories: true)
        let halt = try await BinaryRunner.run(["ctl", "halt"], in: path)
        #expect(halt.status == 0 || halt.status == 1, "\(halt.stdout) \(halt.stderr)")

        let held = try await eventually(within: 20) {
            let health = Health(path)
            return health.trading == "HALTED" && health.tradingReason?.hasPrefix("FAILED_STATE") == true
        }
        #expect(held, "health: \(Health(path))")
        // Sampled for a few seconds while the hold lasts (the write is retried meanwhile): never OK.
        var samples = 0
        var okSeen: [String] = []
        let until = ContinuousClock.now + .seconds(4)
        while ContinuousClock.now < until {
            let file = Health(path)
            let answer = try await Curl.run([endpoint])
            if file.overall != "DEGRADED" || file.reason != "FAILED_STATE" { okSeen.append("file: \(file)") }
            if answer.json?["status"] as? String != "DEGRADED" || answer.json?["reason"] as? String != "FAILED_STATE" {
                okSeen.append("endpoint \(answer.status): \(answer.body.prefix(200))")
            }
            samples += 1
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(samples > 3 && okSeen.isEmpty, "not DEGRADED (FAILED_STATE) while held: \(okSeen.prefix(3))")

        try FileManager.default.removeItem(atPath: statePath)
        let released = try await eventually(within: 40) {
            let health = Health(path)
            return health.overall == "OK" && health.trading == "HALTED" && health.tradingReason?.hasPrefix("FAILED_STATE") == false
        }
        #expect(released, "health after: \(Health(path)); stderr: \(binary.stderr.suffix(2000))")
        let after = try await Curl.run([endpoint])
        #expect(after.json?["status"] as? String == "OK", "\(after.body.prefix(300))")

        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 60) == 0, "\(binary.stderr.suffix(2000))")
    }
}
