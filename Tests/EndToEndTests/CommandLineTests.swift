import Foundation
import TestSupport
import Testing

struct CommandLineTests {
    /// `bulwark doctor` in an empty folder passes every check and creates state/ and logs/ with mode 0700.
    @Test func doctorInAnEmptyFolder() async throws {
        let folder = TemporaryFolder()
        let output = try await BinaryRunner.run(["doctor"], in: folder.path)
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("ok    configuration: broker SIM"))
        #expect(output.stdout.contains("ok    state folder"))
        #expect(output.stdout.contains("ok    logs folder"))
        #expect(!output.stdout.contains("fail"))
        #expect(folder.mode(of: "state") == 0o700)
        #expect(folder.mode(of: "logs") == 0o700)
    }

    /// A bad configuration stops the program with exit 64 and one line per problem, secrets masked.
    @Test func badConfigurationExits64() async throws {
        let folder = TemporaryFolder()
        let env = [
            "MAX_POSITION_SIZE_USD": "lots", "DASHBOARD_PORT": "70000",
            "APCA_API_KEY_ID": "PKABCDEFGHIJKLMN1234", "APCA_API_SECRET_KEY": "ZZsupersecretvalue9876",
            "UW_API_TOKEN": "uwtokenuwtoken5555", "APCA_API_BASE_URL": "https://api.alpaca.markets",
        ]
        let output = try await BinaryRunner.run(["doctor"], in: folder.path, environment: env)
        #expect(output.status == 64)
        let failures = output.stdout.split(separator: "\n").filter { $0.hasPrefix("fail") }
        #expect(failures.count == 3, "\(output.stdout)")
        #expect(output.stdout.contains("MAX_POSITION_SIZE_USD: \"lots\""))
        #expect(output.stdout.contains("DASHBOARD_PORT: \"70000\""))
        #expect(output.stdout.contains("APCA_API_BASE_URL"))
        #expect(output.stdout.contains("--live"))
        for secret in ["PKABCDEFGHIJKLMN1234", "ZZsupersecretvalue9876", "uwtokenuwtoken5555"] {
            #expect(!output.stdout.contains(secret) && !output.stderr.contains(secret))
        }
    }

    /// The live URL is accepted with --live, and --live with a paper URL is refused.
    @Test func liveFlag() async throws {
        let folder = TemporaryFolder()
        var env = ["APCA_API_KEY_ID": "PKABCDEFGHIJKLMN1234", "APCA_API_SECRET_KEY": "ZZsupersecretvalue9876", "UW_API_TOKEN": "uwtokenuwtoken5555"]
        let paperLive = try await BinaryRunner.run(["doctor", "--live"], in: folder.path, environment: env)
        #expect(paperLive.status == 64)
        env["APCA_API_BASE_URL"] = "https://api.alpaca.markets"
        // Accepted: the configuration passes; the API checks then fail here, where nothing is reachable.
        let live = try await BinaryRunner.run(["doctor", "--live"], in: folder.path, environment: env)
        #expect(live.status == 1, "\(live.stdout)")
        #expect(live.stdout.contains("ok    configuration: broker LIVE"))
        #expect(live.stdout.contains("PK…1234"))
        #expect(live.stdout.contains("fail  api GET /v2/account: NETWORK"))
    }

    /// `.env` in the working folder is read, and a malformed line is reported with its line number.
    @Test func dotEnvIsRead() async throws {
        let folder = TemporaryFolder()
        try "DASHBOARD_PORT=9100\n".write(toFile: folder.path + "/.env", atomically: true, encoding: .utf8)
        let good = try await BinaryRunner.run(["doctor"], in: folder.path)
        #expect(good.status == 0)
        #expect(good.stdout.contains("dashboard 127.0.0.1:9100"))
        try "DASHBOARD_PORT=9100\nthis is not an assignment\n".write(toFile: folder.path + "/.env", atomically: true, encoding: .utf8)
        let bad = try await BinaryRunner.run(["doctor"], in: folder.path)
        #expect(bad.status == 64)
        #expect(bad.stdout.contains(".env line 2: expected KEY=VALUE"))
    }

    /// A state folder that cannot be created fails its check and the exit code says so.
    @Test func doctorReportsAnUnwritableFolder() async throws {
        let folder = TemporaryFolder()
        try "a file".write(toFile: folder.path + "/blocker", atomically: true, encoding: .utf8)
        let output = try await BinaryRunner.run(["doctor", "--state-dir", "blocker/state"], in: folder.path)
        #expect(output.status == 1)
        #expect(output.stdout.contains("fail  state folder"))
        #expect(output.stdout.contains("ok    logs folder"))
    }

    /// --help lists only the commands that exist; --version prints the version.
    @Test func helpAndVersion() async throws {
        let folder = TemporaryFolder()
        let help = try await BinaryRunner.run(["--help"], in: folder.path)
        #expect(help.status == 0)
        #expect(help.stdout.contains("doctor"))
        #expect(help.stdout.contains("bench"))
        let version = try await BinaryRunner.run(["--version"], in: folder.path)
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    /// `bulwark bench bus` runs, prints its figures and accounts for every event exactly.
    @Test func benchBus() async throws {
        let folder = TemporaryFolder()
        let output = try await BinaryRunner.run(["bench", "bus", "--events", "50000"], in: folder.path)
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("events/s"))
        #expect(output.stdout.contains("peak memory"))
        #expect(output.stdout.contains("accounting    exact"))
        let bad = try await BinaryRunner.run(["bench", "bus", "--events", "0"], in: folder.path)
        #expect(bad.status == 64)
    }

    /// doctor reports a corrupt state file, fails, and leaves the file exactly as it was.
    @Test func doctorReportsACorruptStateFileWithoutTouchingIt() async throws {
        let folder = TemporaryFolder()
        let missing = try await BinaryRunner.run(["doctor"], in: folder.path)
        #expect(missing.stdout.contains("ok    state file: missing"))
        let path = folder.path + "/state/trading_state.json"
        try "{\"schema_version\": 2, \"trun".write(toFile: path, atomically: false, encoding: .utf8)
        let corrupt = try await BinaryRunner.run(["doctor"], in: folder.path)
        #expect(corrupt.status == 1)
        #expect(corrupt.stdout.contains("fail  state file: corrupt"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"schema_version\": 2, \"trun")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/state") == ["trading_state.json"])
    }

    /// The kill switch file is reported as a warning, not a failure.
    @Test func doctorWarnsAboutTheKillSwitch() async throws {
        let folder = TemporaryFolder()
        _ = try await BinaryRunner.run(["doctor"], in: folder.path)
        try "".write(toFile: folder.path + "/state/HALT", atomically: false, encoding: .utf8)
        let output = try await BinaryRunner.run(["doctor"], in: folder.path)
        #expect(output.status == 0)
        #expect(output.stdout.contains("warn  state file:"))
        #expect(output.stdout.contains("kill switch"))
    }

    /// `bulwark bench guard` and `bulwark bench state` run and print their figures.
    @Test func benchGuardAndState() async throws {
        let folder = TemporaryFolder()
        let guardOutput = try await BinaryRunner.run(["bench", "guard", "--evaluations", "2000"], in: folder.path)
        #expect(guardOutput.status == 0, "\(guardOutput.stderr)")
        #expect(guardOutput.stdout.contains("p99"))
        let state = try await BinaryRunner.run(["bench", "state", "--saves", "20", "--directory", folder.path + "/bench"], in: folder.path)
        #expect(state.status == 0, "\(state.stderr)")
        #expect(state.stdout.contains("ratio"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/bench").isEmpty)
    }

    /// `bulwark bench pipeline` carries every alert through to an entry and an exit, reports the fsync share,
    /// then times fills from the trading stream to the saved state (5 here: the default 100 take minutes
    /// in a debug build under load).
    @Test func benchPipeline() async throws {
        let folder = TemporaryFolder()
        let output = try await BinaryRunner.run(
            ["bench", "pipeline", "--alerts", "5", "--fills", "5", "--directory", folder.path], in: folder.path)
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("orders        10 filled"))
        #expect(output.stdout.contains("of the time"))
        #expect(output.stdout.contains(#/fill-to-state [1-5] fills from the trading stream: p50 [0-9.]+ ms, p99 /#), "\(output.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("bench-pipeline") }.isEmpty)
    }

    /// `bulwark bench console` prints p50 and p99 of build, diff and both at each size, then the terminal
    /// output and CPU lines of `bulwark run` in tmux, and leaves no temporary folder behind; without tmux it
    /// says so and exits 1. No timing is asserted: the goals live in the benchmark.
    @Test func benchConsole() async throws {
        let folder = TemporaryFolder()
        let tmp = folder.path + "/tmp"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: false)
        let output = try await BinaryRunner.run(
            ["bench", "console", "--iterations", "50", "--warmup", "2", "--seconds", "3"], in: folder.path, environment: ["TMPDIR": tmp])
        let hasTmux = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/tmux") }
        guard hasTmux else {
            #expect(output.status == 1)
            #expect(output.stderr.contains("tmux not found"))
            return
        }
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        let lines = output.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        for size in ["80x24", "200x60"] {
            for figure in ["build", "diff", "build+diff"] {
                // frame 80x24 build p50 38.2 µs p99 61.0 µs
                let line = lines.first { $0.count >= 9 && $0[0] == "frame" && $0[1] == size && $0[2] == figure }
                let p50 = line.flatMap { Double($0[4]) }
                let p99 = line.flatMap { Double($0[7]) }
                #expect(line?[3] == "p50" && line?[6] == "p99", "no \(figure) line for \(size): \(output.stdout)")
                #expect((p50 ?? 0) > 0 && (p99 ?? 0) >= (p50 ?? 0), "\(size) \(figure): \(line ?? [])")
            }
            let changes = lines.first { $0.count >= 4 && $0[0] == "frame" && $0[1] == size && $0[2] == "changes" }
            #expect((changes.flatMap { Double($0[3]) } ?? 0) > 0, "diffs found no changed cells at \(size)")
        }
        let terminal = lines.first { $0.first == "terminal" }
        #expect(terminal?.count ?? 0 > 2 && terminal?[2] == "bytes/s" && Double(terminal?[1] ?? "") != nil, "\(output.stdout)")
        let cpu = lines.first { $0.first == "cpu" }
        #expect(cpu?.count ?? 0 > 2 && cpu?[1].hasSuffix("%") == true && Double(cpu?[1].dropLast() ?? "") != nil, "\(output.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty, "the benchmark left its temporary folder")
    }
}
