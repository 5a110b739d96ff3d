import Foundation
import TestSupport
import Testing

/// Running out of file descriptors inside a running instance is a named, recovered fault.
struct DescriptorExhaustionTests {
    private static func json(_ path: String) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// Health as the instance wrote it: overall status, trading mode, and trading-bot's status and detail.
    private struct Health: Sendable {
        var overall: String?
        var trading: String?
        var bot: String?
        var botDetail: String?

        init(_ folder: String) {
            let document = DescriptorExhaustionTests.json(folder + "/state/health.json")
            overall = document["status"] as? String
            trading = (document["trading"] as? [String: Any])?["mode"] as? String
            let services = document["services"] as? [[String: Any]] ?? []
            let bot = services.first { $0["name"] as? String == "trading-bot" }
            self.bot = bot?["status"] as? String
            botDetail = bot?["detail"] as? String
        }
    }

    private static func log(_ folder: String) -> String {
        (try? String(contentsOfFile: folder + "/logs/bulwark.log", encoding: .utf8)) ?? ""
    }

    /// At a limit of 1,024 open files, `fd_exhaustion` takes every free descriptor for 20 s: the instance
    /// names the fault ("out of file descriptors (N open of limit 1024)") in its health and log, trading-bot
    /// is DEGRADED while trading stays ACTIVE with the hog still holding them, and once they are let go the
    /// reserve is taken back and health is OK again; it then stops cleanly.
    @Test func exhaustionIsNamedAndRecovered() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let binary = try RunningBinary(["run", "--headless"], in: path, environment: ["DASHBOARD_PORT": "0"], descriptorLimit: 1024)
        let ready = try await eventually(within: 90) {
            let health = Health(path)
            return health.trading == "ACTIVE" && health.overall == "OK"
        }
        try #require(ready, "never ACTIVE and OK; stderr: \(binary.stderr.suffix(2000))")

        let on = try await offThread { try BinaryRunner.run(["ctl", "chaos", "fd_exhaustion", "on"], in: path) }
        #expect(on.status == 0, "\(on.stdout) \(on.stderr)")
        #expect(on.stdout.contains("file descriptors taken"), "\(on.stdout)")

        // While the hog holds them: the fault named, trading ACTIVE (both in the same health document).
        let named = try await eventually(within: 15) {
            let health = Health(path)
            return health.bot == "DEGRADED" && health.botDetail?.contains("out of file descriptors (") == true && health.trading == "ACTIVE"
        }
        let during = Health(path)
        #expect(named, "health during: \(during); stderr: \(binary.stderr.suffix(2000))")
        #expect(during.botDetail?.contains("open of limit 1024)") == true, "\(during.botDetail ?? "-")")
        #expect(Self.log(path).contains("the emergency reserve was released"))
        #expect(!Self.log(path).contains("FAILED_STATE"), "no state write was held")

        // After the hold: let go, reserve retaken, health OK, still ACTIVE.
        let recovered = try await eventually(within: 40) {
            let health = Health(path)
            return health.overall == "OK" && health.bot == "OK" && health.trading == "ACTIVE"
        }
        #expect(recovered, "health after: \(Health(path)); stderr: \(binary.stderr.suffix(2000))")
        #expect(Self.log(path).contains("chaos fd_exhaustion done"))
        #expect(Self.log(path).contains("the emergency reserve is held again"))

        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 60) == 0, "\(binary.stderr.suffix(2000))")
    }
}
