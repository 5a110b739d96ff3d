import Foundation
import TestSupport
import Testing

/// The binary trading on a busy standalone exchange, its state file corrupted and the process restarted:
/// the healed state is rebuilt from the order journal and no alert is acted on twice.
@Suite(.serialized)
struct HealedSignalsTests {
    static let key = "PKHEALED0000000001234"
    static let secret = "SKhealedsecret0000000WXYZ"
    static let token = "UWhealedtoken00000QRST"

    /// Trade, flatten and resume, corrupt `state/trading_state.json`, restart: no alert id appears twice
    /// among the journal's intents (alerts up to an hour old are admitted, so only the processed alerts
    /// rebuilt from the journal keep the old ones out).
    @Test func noAlertActedOnTwiceAfterAHeal() async throws {
        let folder = TemporaryFolder()
        let busy = try await BusyExchange.start(seed: 11, key: Self.key, secret: Self.secret, token: Self.token, in: folder.path)
        let (exchange, environment) = (busy.process, busy.environment)
        let path = folder.path
        let first = try RunningBinary(["run", "--headless"], in: path, environment: environment)
        let traded = try await eventually(within: 120) { Self.alertIDs(in: path).count >= 4 }
        #expect(traded, "no trades within 120 s: \(first.stderr.suffix(1500))")
        // The operator flattens, waits for the closes, and resumes: the alerts that bought are still
        // listed by the feed, and now nothing is held.
        let flatten = try await BinaryRunner.run(["ctl", "flatten"], in: path)
        #expect(flatten.status == 0, "\(flatten)")
        let flat = try await eventually(within: 60) { Self.positions(in: path) == 0 }
        #expect(flat, "\(first.stderr.suffix(1500))")
        let resume = try await BinaryRunner.run(["ctl", "resume"], in: path)
        #expect(resume.status == 0, "\(resume)")
        first.send(SIGKILL)
        _ = try await first.exitStatus(within: 30)
        let before = Self.alertIDs(in: path).count

        try Data("{ invalid json }\n".utf8).write(to: URL(fileURLWithPath: path + "/state/trading_state.json"))
        let second = try RunningBinary(["run", "--headless"], in: path, environment: environment)
        let started = try await eventually(within: 60) { second.stderr.contains("\"message\":\"start-up done\"") }
        #expect(started, "\(second.stderr.suffix(1500))")
        #expect(second.stderr.contains("rebuilt from the order journal"), "\(second.stderr.suffix(1500))")
        // New alerts keep coming: trading goes on after the heal.
        let more = try await eventually(within: 60) { Self.alertIDs(in: path).count >= before + 2 }
        #expect(more, "no trades after the restart: \(second.stderr.suffix(1500))")
        second.send(SIGTERM)
        #expect(try await second.exitStatus(within: 60) == 0)
        exchange.send(SIGTERM)
        _ = try await exchange.exitStatus(within: 30)

        let ids = Self.alertIDs(in: path)
        let twice = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(twice.isEmpty, "alerts acted on twice: \(twice) of \(ids.count)")
    }

    /// The positions in the state file (-1 while it cannot be read).
    static func positions(in folder: String) -> Int {
        guard let data = FileManager.default.contents(atPath: folder + "/state/trading_state.json"),
            let state = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let positions = state["positions"] as? [Any]
        else { return -1 }
        return positions.count
    }

    /// The alert ids the journal's intents name, in order.
    static func alertIDs(in folder: String) -> [String] {
        guard let text = try? String(contentsOfFile: folder + "/logs/orders.jsonl", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["event"] as? String == "intent"
            else { return nil }
            return object["alert_id"] as? String
        }
    }
}
