import Foundation
import TestSupport
import Testing

/// The hostile-input holes of issue 19, driven through the built binary: secrets that never leave in any
/// form, a FIFO where the state file belongs, and a stop signal in the first milliseconds.
@Suite(.serialized)
struct HostileInputTests {
    /// The dashboard's address from the "dashboard listening" log line, if it is up.
    private static func dashboard(_ stderr: String) -> String? {
        guard let line = stderr.split(separator: "\n").first(where: { $0.contains("dashboard listening") }),
            let range = line.firstRange(of: "http://127.0.0.1:")
        else { return nil }
        return String(line[range.lowerBound...].prefix { $0 != "\"" })
    }

    /// A secret with a line break in `.env` is refused at load (exit 64, masked) and never reaches stderr,
    /// the logs, the state folder or the dashboard.
    @Test func secretWithLineBreakIsRefusedAndNeverLeaks() async throws {
        let folder = TemporaryFolder()
        let nobody = try ReservedPort()  // bound, never listening: held for the test, refused to all
        defer { withExtendedLifetime(nobody) {} }
        folder.write(".env", """
            APCA_API_KEY_ID=PKHOSTILE0000001234
            APCA_API_SECRET_KEY="supersecret\\nvalue9876"
            UW_API_TOKEN=UWhostiletoken000001
            APCA_API_BASE_URL=http://127.0.0.1:\(nobody.port)
            APCA_API_DATA_URL=http://127.0.0.1:\(nobody.port)
            UW_API_BASE_URL=http://127.0.0.1:\(nobody.port)
            UW_POLL_SECONDS=1
            DASHBOARD_PORT=any

            """)
        let binary = try RunningBinary(["run", "--headless"], in: folder.path)
        var status = try await binary.exitStatus(within: 20)
        var outputs: [(String, String)] = []
        if status == nil {
            // Still running: collect what it serves before stopping it.
            if let url = Self.dashboard(binary.stderr) {
                for path in ["/api/system/health", "/metrics"] {
                    outputs.append(("GET \(path)", (try? await Curl.run(["\(url)\(path)"]).body) ?? ""))
                }
            }
            binary.send(SIGTERM)
            status = try await binary.exitStatus(within: 30)
        }
        #expect(status == 64, "exit status \(String(describing: status)); stderr: \(binary.stderr.suffix(1500))")
        #expect(binary.stderr.contains("APCA_API_SECRET_KEY") && binary.stderr.contains("line break"), "\(binary.stderr.suffix(1500))")
        outputs += [("stdout", binary.stdout), ("stderr", binary.stderr)] + SecretScan.files(under: folder.path).filter { !$0.0.hasSuffix("/.env") }
        let found = SecretScan.leaks(["supersecret\nvalue9876", "value9876"], in: outputs)
        #expect(found.isEmpty, "\(found)")
    }

    /// `bulwark run --headless` with secrets of every printable class against a standalone exchange that
    /// knows them trades, and no secret appears in stderr, the logs, the state file, the health file or the
    /// dashboard's answers, in any form or in part.
    @Test func configuredSecretsNeverLeak() async throws {
        let folder = TemporaryFolder()
        let (exchange, url) = try await SecretScan.startExchange(in: folder.path)
        let environment = SecretScan.environment(exchange: url)
        let bulwark = try RunningBinary(["run", "--headless"], in: folder.path, environment: environment)
        let traded = try await eventually(within: 90) {
            (try? String(contentsOfFile: folder.path + "/logs/orders.jsonl", encoding: .utf8))?.contains("\"submitted\"") == true
        }
        #expect(traded, "no order submitted within 90 s; stderr: \(bulwark.stderr.suffix(1500))")
        var outputs: [(String, String)] = []
        if let dashboard = Self.dashboard(bulwark.stderr) {
            outputs += await SecretScan.dashboardAnswers(dashboard)
        } else {
            Issue.record("no dashboard address in stderr")
        }
        bulwark.send(SIGTERM)
        #expect(try await bulwark.exitStatus(within: 60) == 0)
        exchange.send(SIGTERM)
        _ = try await exchange.exitStatus(within: 30)
        outputs += [("stderr", bulwark.stderr), ("stdout", bulwark.stdout)]
        outputs += SecretScan.files(under: folder.path + "/logs") + SecretScan.files(under: folder.path + "/state")
        #expect(outputs.contains { $0.0.hasSuffix("health.json") } && outputs.contains { $0.0.hasSuffix("trading_state.json") })
        let found = SecretScan.leaks(SecretScan.secrets, in: outputs, fragments: true)
        #expect(found.isEmpty, "\(found)")
    }

    /// A FIFO at state/trading_state.json does not hang `bulwark doctor`: it ends within 30 s, naming the
    /// path and what is there.
    @Test func doctorDoesNotHangOnAFIFOStateFile() async throws {
        let folder = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path + "/state", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = folder.path + "/state/trading_state.json"
        makeFIFO(path)
        let binary = try RunningBinary(["doctor"], in: folder.path, environment: ["DASHBOARD_PORT": "0"])
        let status = try await binary.exitStatus(within: 30)
        if status == nil { releaseFIFOReader(path) }
        #expect(status == 1, "doctor did not end within 30 s (or ended with \(String(describing: status))): \(binary.stdout)")
        #expect(binary.stdout.contains(path) && binary.stdout.contains("named pipe"), "\(binary.stdout)")
    }

    /// A FIFO at state/trading_state.json does not hang `bulwark run --headless`: it starts (the FIFO set
    /// aside, trading halted until reconciled) and SIGTERM stops it with exit 0.
    @Test func runDoesNotHangOnAFIFOStateFile() async throws {
        let folder = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path + "/state", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = folder.path + "/state/trading_state.json"
        makeFIFO(path)
        let binary = try RunningBinary(["run", "--headless"], in: folder.path, environment: ["DASHBOARD_PORT": "0"])
        let started = try await eventually(within: 60) { binary.stderr.contains("\"message\":\"start-up done\"") }
        if !started { releaseFIFOReader(path) }
        #expect(started, "no start-up within 60 s; stderr: \(binary.stderr.suffix(1500))")
        #expect(binary.stderr.contains("named pipe"), "\(binary.stderr.suffix(1500))")
        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 60) == 0)
    }

    /// SIGTERM in the first milliseconds of `bulwark run --headless` — as soon as its log file exists, before
    /// the runtime is built and long before the services are up — ends it gracefully with exit 0, not by
    /// the signal.
    @Test func stopSignalInTheFirstMillisecondsIsGraceful() async throws {
        for trial in 0..<3 {
            let folder = TemporaryFolder()
            let log = folder.path + "/logs/bulwark.log"
            let binary = try RunningBinary(["run", "--headless"], in: folder.path, environment: ["DASHBOARD_PORT": "0"])
            let begun = try await offThread {
                let deadline = Date().addingTimeInterval(10)
                while !FileManager.default.fileExists(atPath: log) {
                    guard Date() < deadline else { return false }
                    usleep(100)
                }
                return true
            }
            #expect(begun, "trial \(trial): no log file within 10 s of the start")
            binary.send(SIGTERM)
            let status = try await binary.exitStatus(within: 60)
            #expect(status == 0, "trial \(trial): exit status \(String(describing: status)) (15 is death by SIGTERM); stderr: \(binary.stderr.suffix(800))")
        }
    }
}
