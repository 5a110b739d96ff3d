import Foundation
import Primitives
import TestSupport
import Testing

/// The supervisor, the health file, the dashboard and the chaos contract, through the built binary.
@Suite(.serialized)
struct SupervisionTests {
    static func health(_ folder: String) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: folder + "/state/health.json") else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// Started headless with CHAOS_MODE=invalid_creds: state/health.json says FAILED / FAILED_CONFIG with
    /// trading HALTED, and GET /api/system/health answers 503 with the same document; SIGTERM exits 0.
    @Test func invalidCredentialsAtStart() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let binary = try RunningBinary(
            ["run", "--headless", "--dashboard-port", "any"], in: path, environment: ["CHAOS_MODE": "invalid_creds"])
        let port = try await binary.dashboardPort()
        let failed = try await eventually(within: 60) {
            guard let health = Self.health(path), let trading = health["trading"] as? [String: Any] else { return false }
            return health["status"] as? String == "FAILED" && health["reason"] as? String == "FAILED_CONFIG"
                && trading["mode"] as? String == "HALTED"
        }
        #expect(failed, "health: \(String(describing: Self.health(path))); stderr: \(binary.stderr.suffix(1500))")
        let services = Self.health(path)?["services"] as? [[String: Any]] ?? []
        let bot = services.first { $0["name"] as? String == "trading-bot" }
        #expect(bot?["status"] as? String == "FAILED" && bot?["reason"] as? String == "FAILED_CONFIG")

        var answer = try await Curl.run(["http://127.0.0.1:\(port)/api/system/health"])
        for _ in 0..<50 where answer.status != 503 {
            try await Task.sleep(for: .milliseconds(200))  // the health may still be settling
            answer = try await Curl.run(["http://127.0.0.1:\(port)/api/system/health"])
        }
        #expect(answer.status == 503)
        #expect(answer.json?["reason"] as? String == "FAILED_CONFIG")
        let metrics = try await Curl.run(["http://127.0.0.1:\(port)/metrics"])
        #expect(metrics.status == 200 && metrics.body.contains("bulwark_api_errors_total"))

        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 60) == 0, "\(binary.stderr.suffix(1500))")
        #expect(!binary.stderr.contains("chaos-invalid-credential"), "a (fake) credential reached the log")
    }

    /// A second Bulwark on the same state folder refuses to start, naming the first one's pid, and leaves
    /// the first running; once the first has stopped, the folder is free again.
    @Test func oneProcessPerStateFolder() async throws {
        let folder = TemporaryFolder()
        let first = try RunningBinary(["run", "--headless", "--dashboard-port", "0"], in: folder.path)
        #expect(try await eventually(within: 60) { first.stderr.contains("start-up done") })
        let second = try await BinaryRunner.run(["run", "--headless", "--dashboard-port", "0"], in: folder.path)
        #expect(second.status == 1)
        #expect(second.stderr.contains("another Bulwark (pid \(first.pid))"), "\(second.stderr)")
        first.send(SIGTERM)
        #expect(try await first.exitStatus(within: 60) == 0, "the first one kept running: \(first.stderr.suffix(1000))")
        let third = try RunningBinary(["run", "--headless", "--dashboard-port", "0"], in: folder.path)
        #expect(try await eventually(within: 60) { third.stderr.contains("start-up done") })
        third.send(SIGTERM)
        #expect(try await third.exitStatus(within: 60) == 0)
    }

    /// CHAOS_MODE against a live account refuses to start, naming the variable, and touches nothing.
    @Test func chaosRefusedAgainstLive() async throws {
        let folder = TemporaryFolder()
        let environment = [
            "CHAOS_MODE": "alpaca_down", "APCA_API_KEY_ID": "AKLIVEKEY0000000001", "APCA_API_SECRET_KEY": "live-secret-0000000000000000",
            "APCA_API_BASE_URL": "https://api.alpaca.markets", "UW_API_TOKEN": "uw-token-000000000000",
        ]
        let output = try await BinaryRunner.run(["run", "--headless", "--live"], in: folder.path, environment: environment)
        #expect(output.status == 64)
        #expect(output.stderr.contains("CHAOS_MODE"))
        #expect(!output.stderr.contains("live-secret-0000000000000000"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/state/health.json"))
    }

    /// Each mode of the chaos contract, through `bulwark chaos-test --mode M` on a fresh embedded
    /// exchange: the runner's row says PASS and it exits 0; and everything the run wrote for the operator
    /// — its log (messages and fields), the events pane's lines and the runner's row — is words: no
    /// `Optional(…)`, no module-qualified type name, no value dump; under invalid_creds the error's code
    /// reaches health.json.
    @Test(arguments: [
        "alpaca_down", "invalid_creds", "schema_drift", "rate_limit", "latency", "uw_down", "supervisor_crash", "state_corrupt", "fd_exhaustion", "stream_drop",
        "state_corrupt_after_trades", "dashboard_port_taken",
    ])
    func chaosContract(mode: String) async throws {
        let folder = TemporaryFolder()
        let binary = try RunningBinary(["chaos-test", "--mode", mode, "--keep"], in: folder.path)
        let status = try await binary.exitStatus(within: 240)
        let row = binary.stdout.split(separator: "\n").first { $0.hasPrefix(mode + " |") } ?? ""
        #expect(status == 0 && row.hasSuffix("| PASS"), "\(binary.stdout.suffix(3000))")
        #expect(OperatorTextCheck.problems(in: String(row)).isEmpty, "\(row)")
        let kept = try #require(binary.stdout.firstMatch(of: /folder kept: (\S+)\)/).map { String($0.1) }, "\(binary.stdout.suffix(2000))")
        defer { try? FileManager.default.removeItem(atPath: kept) }
        let log = try String(contentsOfFile: kept + "/logs/bulwark.log", encoding: .utf8)
        var lines = 0
        for line in log.split(separator: "\n") {
            lines += 1
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            var texts = [object["message"] as? String ?? ""]
            texts += ((object["metadata"] as? [String: Any]) ?? [:]).values.map { "\($0)" }
            for text in texts {
                #expect(OperatorTextCheck.problems(in: text).isEmpty, "\(mode): \(OperatorTextCheck.problems(in: text)) in \(line)")
            }
        }
        #expect(lines > 10, "the run logged only \(lines) lines")
        // What the console's events pane would have shown, kept beside the log by the runner.
        let events = try String(contentsOfFile: kept + "/logs/events.txt", encoding: .utf8).split(separator: "\n")
        for line in events {
            #expect(OperatorTextCheck.problems(in: String(line)).isEmpty, "\(mode): \(OperatorTextCheck.problems(in: String(line))) in \(line)")
        }
        #expect(events.count > 3, "the events pane had only \(events.count) lines")
        if mode == "invalid_creds" {
            // The refused key's error code reaches health.json beside its text.
            let health = try String(contentsOfFile: kept + "/state/health.json", encoding: .utf8)
            #expect(health.contains("\"last_error_code\": \"api.auth_error\""), "\(health)")
        }
    }
}
