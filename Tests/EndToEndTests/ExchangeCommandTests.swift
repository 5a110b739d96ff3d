import Foundation
import TestSupport
import Testing

/// `bulwark exchange` run as a user runs it, queried with curl (the README shows the same commands).
struct ExchangeCommandTests {
    private static let key = "PKE2EKEY00001234"
    private static let secret = "SKe2esecretvalue5678"
    private static let token = "UWe2etokenvalue9012"

    private func start(in folder: TemporaryFolder) async throws -> (RunningBinary, String) {
        let binary = try RunningBinary(
            ["exchange", "--port", "0", "--seed", "7", "--key-id", Self.key, "--secret-key", Self.secret, "--uw-token", Self.token,
             "--state-dir", "state", "--session", "always"],
            in: folder.path)
        let line = try await binary.line(containing: "listening on http://127.0.0.1:", within: 60)
        let url = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        return (binary, url)
    }

    private var keys: [String] {
        ["-H", "APCA-API-KEY-ID: \(Self.key)", "-H", "APCA-API-SECRET-KEY: \(Self.secret)", "-H", "Content-Type: application/json"]
    }

    /// It prints its URL, answers Alpaca and Unusual Whales requests from curl, stops cleanly on SIGINT,
    /// and keeps its book (mode 0600) for the next start; secrets are never printed.
    @Test func servesCurlAndStopsOnSIGINT() async throws {
        let folder = TemporaryFolder()
        let (binary, url) = try await start(in: folder)

        let account = try await Curl.run(keys + ["\(url)/v2/account"])
        #expect(account.status == 200)
        #expect(account.json?["cash"] as? String == "100000")
        let quote = try await Curl.run(keys + ["\(url)/v2/stocks/AAPL/quotes/latest"])
        #expect(quote.status == 200)
        #expect((quote.json?["quote"] as? [String: Any])?["ap"] is NSNumber)
        let order = try await Curl.run(
            keys + ["-X", "POST", "\(url)/v2/orders", "-d",
                    #"{"symbol":"AAPL","qty":"1","side":"buy","type":"market","time_in_force":"day","client_order_id":"e2e-1"}"#])
        #expect(order.status == 200)
        #expect(order.json?["status"] as? String == "accepted")
        let filled = try await Curl.run(keys + ["\(url)/v2/orders:by_client_order_id?client_order_id=e2e-1"])
        #expect(filled.json?["status"] as? String == "filled")
        let alerts = try await Curl.run(["-H", "Authorization: Bearer \(Self.token)", "\(url)/api/option-trades/flow-alerts?limit=5"])
        #expect(alerts.status == 200)
        #expect((alerts.json?["data"] as? [Any])?.isEmpty == false)
        let forbidden = try await Curl.run(["\(url)/v2/account"])
        #expect(forbidden.status == 403)
        #expect(forbidden.body == #"{"message":"forbidden."}"#)

        binary.send(SIGINT)
        #expect(try await binary.exitStatus(within: 30) == 0)
        #expect(binary.stdout.contains("paper exchange stopped"))
        #expect(folder.mode(of: "state/paper_exchange.json") == 0o600)
        #expect(folder.mode(of: "state") == 0o700)
        for secret in [Self.key, Self.secret, Self.token] {
            #expect(!binary.stdout.contains(secret) && !binary.stderr.contains(secret))
        }

        let (again, url2) = try await start(in: folder)
        let kept = try await Curl.run(keys + ["\(url2)/v2/orders:by_client_order_id?client_order_id=e2e-1"])
        #expect(kept.json?["status"] as? String == "filled", "the order survives a restart")
        let reused = try await Curl.run(
            keys + ["-X", "POST", "\(url2)/v2/orders", "-d",
                    #"{"symbol":"AAPL","qty":"1","side":"buy","type":"market","time_in_force":"day","client_order_id":"e2e-1"}"#])
        #expect(reused.status == 422)
        again.send(SIGTERM)
        #expect(try await again.exitStatus(within: 30) == 0)
    }

    /// Bulwark's own Alpaca and Unusual Whales clients pass their compatibility check against it
    /// (`bulwark doctor` with the exchange's URL as every base URL).
    @Test func doctorPassesAgainstTheExchange() async throws {
        let folder = TemporaryFolder()
        let (binary, url) = try await start(in: folder)
        let environment = [
            "APCA_API_KEY_ID": Self.key, "APCA_API_SECRET_KEY": Self.secret, "UW_API_TOKEN": Self.token,
            "APCA_API_BASE_URL": url, "APCA_API_DATA_URL": url, "UW_API_BASE_URL": url,
        ]
        let doctor = try await offThread { try BinaryRunner.run(["doctor", "--state-dir", "bulwark-state"], in: folder.path, environment: environment) }
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
        #expect(doctor.stdout.split(separator: "\n").filter { $0.hasPrefix("ok    api ") }.count == 5, "\(doctor.stdout)")
        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 30) == 0)
    }

    /// `bulwark doctor` with wrong keys against the exchange: every Alpaca endpoint is AUTH_ERROR, trading
    /// would not start (FAILED_CONFIG), the exit code is non-zero, and the wrong secret is never printed.
    @Test func doctorWithWrongKeysReportsAuthError() async throws {
        let folder = TemporaryFolder()
        let (binary, url) = try await start(in: folder)
        let wrongSecret = "WRONGsecretWRONGsecret0000"
        let environment = [
            "APCA_API_KEY_ID": Self.key, "APCA_API_SECRET_KEY": wrongSecret, "UW_API_TOKEN": Self.token,
            "APCA_API_BASE_URL": url, "APCA_API_DATA_URL": url, "UW_API_BASE_URL": url,
        ]
        let doctor = try await offThread { try BinaryRunner.run(["doctor", "--state-dir", "bulwark-state"], in: folder.path, environment: environment) }
        #expect(doctor.status == 1, "\(doctor.stdout)\(doctor.stderr)")
        #expect(doctor.stdout.contains("fail  api GET /v2/account: AUTH_ERROR"), "\(doctor.stdout)")
        #expect(doctor.stdout.contains("fail  trading: would not start: FAILED_CONFIG"), "\(doctor.stdout)")
        #expect(!doctor.stdout.contains(wrongSecret) && !doctor.stderr.contains(wrongSecret))
        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 30) == 0)
    }

    /// One writer per book: a second `bulwark exchange` on the same state folder exits 1 naming the first
    /// (its pid) and leaves the book alone; so does one started beside a running `bulwark run --headless`,
    /// whose embedded exchange keeps its book in that folder.
    @Test func secondWriterRefused() async throws {
        let folder = TemporaryFolder()
        let (first, _) = try await start(in: folder)
        let book = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/state/paper_exchange.json"))
        let second = try RunningBinary(
            ["exchange", "--port", "0", "--key-id", Self.key, "--secret-key", Self.secret, "--state-dir", "state"], in: folder.path)
        #expect(try await second.exitStatus(within: 30) == 1, "\(second.stdout)\(second.stderr)")
        #expect(second.stderr.contains("pid \(first.pid)"), "\(second.stderr)")
        #expect(!second.stdout.contains("listening"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path + "/state/paper_exchange.json")) == book)
        first.send(SIGTERM)
        #expect(try await first.exitStatus(within: 30) == 0)

        let beside = TemporaryFolder()
        let run = try RunningBinary(["run", "--headless"], in: beside.path)
        #expect(try await eventually(within: 60) { run.stderr.contains("start-up done") }, "\(run.stderr.suffix(2000))")
        let exchange = try RunningBinary(
            ["exchange", "--port", "0", "--key-id", Self.key, "--secret-key", Self.secret, "--state-dir", "state"], in: beside.path)
        #expect(try await exchange.exitStatus(within: 30) == 1, "\(exchange.stdout)\(exchange.stderr)")
        #expect(exchange.stderr.contains("pid \(run.pid)"), "\(exchange.stderr)")
        run.send(SIGTERM)
        #expect(try await run.exitStatus(within: 60) == 0)
    }

    /// Without keys it refuses to start, with exit 64 and a message naming the flags.
    @Test func refusesWithoutKeys() async throws {
        let folder = TemporaryFolder()
        let binary = try RunningBinary(["exchange", "--port", "0"], in: folder.path)
        #expect(try await binary.exitStatus(within: 30) == 64)
        #expect(binary.stderr.contains("--key-id and --secret-key"))
    }
}
