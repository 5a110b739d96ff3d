import Foundation
import TestSupport
import Testing

/// Restarts against a standalone paper exchange: what Bulwark does when it starts and the broker is
/// down, disagrees with it, or holds an order Bulwark was killed waiting for.
@Suite(.serialized)
struct RestartTests {
    static let key = "PKRESTART000000001234"
    static let secret = "SKrestartsecret000000WXYZ"
    static let token = "UWrestarttoken0000QRST"

    /// A standalone exchange in `folder/exchange`; its URL.
    private func exchange(in folder: TemporaryFolder, port: Int = 0, extra: [String] = []) async throws -> (RunningBinary, String) {
        let binary = try RunningBinary(
            ["exchange", "--port", "\(port)", "--seed", "5", "--key-id", Self.key, "--secret-key", Self.secret, "--uw-token", Self.token,
             "--state-dir", "exchange", "--session", "always"] + extra,
            in: folder.path)
        let line = try await binary.line(containing: "listening on http://127.0.0.1:", within: 60)
        let url = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        return (binary, url)
    }

    private func environment(_ url: String, _ extra: [String: String] = [:]) -> [String: String] {
        [
            "APCA_API_KEY_ID": Self.key, "APCA_API_SECRET_KEY": Self.secret, "UW_API_TOKEN": Self.token,
            "APCA_API_BASE_URL": url, "APCA_API_DATA_URL": url, "UW_API_BASE_URL": url, "UW_POLL_SECONDS": "1",
        ].merging(extra) { _, new in new }
    }

    private func curl(_ arguments: [String]) async throws -> [String: Any] {
        let answer = try await Curl.run(["-H", "APCA-API-KEY-ID: \(Self.key)", "-H", "APCA-API-SECRET-KEY: \(Self.secret)", "-H", "Content-Type: application/json"] + arguments)
        return answer.json ?? [:]
    }

    private func curlArray(_ url: String) async throws -> [[String: Any]] {
        let answer = try await Curl.run(["-H", "APCA-API-KEY-ID: \(Self.key)", "-H", "APCA-API-SECRET-KEY: \(Self.secret)", url])
        return (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]]) ?? []
    }

    private static func state(_ folder: TemporaryFolder) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: folder.path + "/state/trading_state.json") else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// Every line of the order journal, as JSON objects.
    private static func journal(_ folder: TemporaryFolder) -> [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: folder.path + "/logs/orders.jsonl") else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
    }

    private static func mode(_ folder: TemporaryFolder) -> String? {
        (state(folder)["trading_state"] as? [String: Any])?["mode"] as? String
    }

    /// The exchange unreachable at start: trading HALTED with FAILED_RECONCILIATION; once it is back, the
    /// retried reconciliation lifts exactly that halt.
    @Test func brokerDownAtStart() async throws {
        let folder = TemporaryFolder()
        // Find a free port, then leave it closed.
        let (probe, url) = try await exchange(in: folder)
        probe.send(SIGTERM)
        #expect(try await probe.exitStatus(within: 30) == 0)
        let port = try #require(Int(url.split(separator: ":").last ?? ""))

        let bulwark = try RunningBinary(["run", "--headless"], in: folder.path, environment: environment(url))
        let halted = try await eventually(within: 60) {
            ((Self.state(folder)["trading_state"] as? [String: Any])?["reason"] as? String)?.hasPrefix("FAILED_RECONCILIATION") == true
        }
        #expect(halted, "\(bulwark.stderr.suffix(1500))")
        #expect(Self.mode(folder) == "HALTED")

        let (exchange, _) = try await exchange(in: folder, port: port)
        let active = try await eventually(within: 120) { Self.mode(folder) == "ACTIVE" }
        #expect(active, "\(bulwark.stderr.suffix(1500))")
        bulwark.send(SIGTERM)
        #expect(try await bulwark.exitStatus(within: 60) == 0)
        exchange.send(SIGTERM)
        _ = try await exchange.exitStatus(within: 30)
    }

    /// Local positions that differ from the exchange's are reconciled to the exchange's, with a diff logged.
    @Test func differingPositionsAreReconciled() async throws {
        let folder = TemporaryFolder()
        let (exchange, url) = try await exchange(in: folder, extra: ["--alert-interval-seconds", "86400"])
        _ = try await curl(["-X", "POST", url + "/v2/orders", "-d", #"{"symbol":"MSFT","qty":"3","side":"buy","type":"market","time_in_force":"day","client_order_id":"outside-1"}"#])
        let bulwark = try RunningBinary(["run", "--headless"], in: folder.path, environment: environment(url))
        let reconciled = try await eventually(within: 60) { bulwark.stderr.contains("\"message\":\"start-up done\"") }
        #expect(reconciled)
        #expect(bulwark.stderr.contains("position differs from the broker"))
        let positions = Self.state(folder)["positions"] as? [[String: Any]] ?? []
        #expect(positions.count == 1 && positions.first?["symbol"] as? String == "MSFT" && positions.first?["quantity"] as? String == "3")
        bulwark.send(SIGTERM)
        #expect(try await bulwark.exitStatus(within: 60) == 0)
        exchange.send(SIGTERM)
        _ = try await exchange.exitStatus(within: 30)
    }

    /// Killed between saving an intent and getting the broker's answer: after a restart there is exactly
    /// one order for that intent at the exchange, adopted into the state, and nothing left pending.
    @Test func killedWhileAnOrderIsInFlight() async throws {
        let folder = TemporaryFolder()
        let (exchange, url) = try await exchange(in: folder, extra: ["--fault-controls", "--alert-interval-seconds", "1"])
        _ = try await curl(["-X", "POST", url + "/__faults", "-d", #"{"route":"POST /v2/orders","fault":"delay","milliseconds":5000,"count":1}"#])
        let bulwark = try RunningBinary(["run", "--headless"], in: folder.path, environment: environment(url))
        // An intent still pending a second after it was saved has passed the guard (which takes
        // microseconds) and is waiting on the delayed POST: the order is in flight.
        let pendingIDs: @Sendable () -> Set<String> = {
            Set((Self.state(folder)["pending_intents"] as? [[String: Any]] ?? []).compactMap { $0["client_order_id"] as? String })
        }
        var intent: String?
        let deadline = Date().addingTimeInterval(120)
        while intent == nil, Date() < deadline {
            let first = pendingIDs()
            _ = try await offThread { usleep(1_000_000) }
            intent = first.intersection(pendingIDs()).first
        }
        let inFlight = try #require(intent, "no order in flight within 120 s: \(bulwark.stderr.suffix(1500))")
        bulwark.send(SIGKILL)
        _ = try await bulwark.exitStatus(within: 30)
        #expect(pendingIDs().contains(inFlight))

        // The delayed request is still handled by the exchange: wait until the order exists there.
        var recorded = false
        for _ in 0..<60 where !recorded {
            let orders = try await curlArray(url + "/v2/orders?status=all&limit=500")
            recorded = orders.contains { $0["client_order_id"] as? String == inFlight }
            if !recorded { _ = try await offThread { usleep(250_000) } }
        }
        #expect(recorded)

        let again = try RunningBinary(["run", "--headless"], in: folder.path, environment: environment(url, ["MIN_FLOW_PREMIUM_USD": "999999999999"]))
        let started = try await eventually(within: 60) { again.stderr.contains("\"message\":\"start-up done\"") }
        #expect(started)
        again.send(SIGTERM)
        #expect(try await again.exitStatus(within: 60) == 0)

        let orders = try await curlArray(url + "/v2/orders?status=all&limit=500")
        #expect(orders.filter { $0["client_order_id"] as? String == inFlight }.count == 1)
        let state = Self.state(folder)
        #expect((state["pending_intents"] as? [Any])?.isEmpty == true)
        let positions = try await curlArray(url + "/v2/positions")
        let local = (state["positions"] as? [[String: Any]] ?? []).map { "\($0["symbol"] ?? "")=\($0["quantity"] ?? "")" }.sorted()
        let remote = positions.map { "\($0["symbol"] ?? "")=\($0["qty"] ?? "")" }.sorted()
        #expect(local == remote)
        // The order's fill is journaled exactly once: by reconciliation, marked adopted, when it filled
        // while Bulwark was down; by its follower otherwise.
        let status = orders.first { $0["client_order_id"] as? String == inFlight }?["status"] as? String
        let fills = Self.journal(folder).filter { $0["event"] as? String == "filled" && $0["client_order_id"] as? String == inFlight }
        if status == "filled" {
            #expect(fills.count == 1, "\(fills)")
        } else {
            #expect(fills.isEmpty, "\(status ?? "-"): \(fills)")
        }
        exchange.send(SIGTERM)
        _ = try await exchange.exitStatus(within: 30)
    }
}
