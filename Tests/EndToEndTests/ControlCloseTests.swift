import Foundation
import TestSupport
import Testing

/// `bulwark ctl close SYMBOL` against a `bulwark run --headless` trading on a busy standalone exchange.
@Suite(.serialized)
struct ControlCloseTests {
    static let key = "PKCLOSE00000000001234"
    static let secret = "SKclosesecret00000000WXYZ"
    static let token = "UWclosetoken000000QRST"

    /// A held position is closed by `ctl close` (exit 0): its intent is journaled with the rule
    /// `operator` and filled, the log says "position closed: operator"; a symbol not held is refused
    /// (exit 1, "no position"), a malformed one is a usage error (exit 64); the clean stop after logs no ERROR.
    @Test func closeOnePosition() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let busy = try await BusyExchange.start(seed: 29, key: Self.key, secret: Self.secret, token: Self.token, in: path)
        var environment = busy.environment
        // A cooldown, so a closed symbol is not bought again at once.
        environment["MIN_COOLDOWN_MINUTES"] = "30"
        let binary = try RunningBinary(["run", "--headless"], in: path, environment: environment)

        var closed: (symbol: String, output: BinaryRunner.Output)?
        let deadline = Date().addingTimeInterval(120)
        while closed == nil, Date() < deadline {
            // A put alert may close the position first: then another one is tried.
            for symbol in Self.heldSymbols(in: path) {
                let output = try await BinaryRunner.run(["ctl", "close", symbol.lowercased()], in: path)
                if output.status == 0 {
                    closed = (symbol, output)
                    break
                }
                #expect(output.status == 1 && output.stderr.contains("no position in \(symbol)"), "\(output)")
            }
            if closed == nil { try await Task.sleep(for: .milliseconds(500)) }
        }
        let (symbol, output) = try #require(closed, "no position closed within 120 s: \(binary.stderr.suffix(1500))")
        #expect(output.stdout.contains("will be closed at market"), "\(output)")
        let filled = try await eventually(within: 60) {
            guard let id = Self.operatorIntent(in: path, symbol: symbol) else { return false }
            return Self.journal(path).contains { $0["event"] as? String == "filled" && $0["client_order_id"] as? String == id }
        }
        #expect(filled, "no filled operator close of \(symbol): \(binary.stderr.suffix(1500))")
        let logged = try await eventually(within: 30) { binary.stderr.contains("position closed: operator") }
        #expect(logged, "\(binary.stderr.suffix(1500))")

        let none = try await BinaryRunner.run(["ctl", "close", "ZZZZ9"], in: path)
        #expect(none.status == 1, "\(none)")
        #expect(none.stderr.contains("no position in ZZZZ9"), "\(none)")
        let malformed = try await BinaryRunner.run(["ctl", "close", "amzn!"], in: path)
        #expect(malformed.status == 64, "\(malformed)")
        #expect(malformed.stderr.contains("is not a ticker symbol"), "\(malformed)")

        let beforeStop = binary.stderr.count
        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 60) == 0, "\(binary.stderr.suffix(1500))")
        // A clean stop logs no ERROR (it once logged "Waiting on child channel: CancellationError()").
        let stopping = binary.stderr.dropFirst(beforeStop).split(separator: "\n")
        let errors = stopping.filter { $0.contains(#""level":"error""#) || $0.contains(#""level":"critical""#) }
        #expect(errors.isEmpty, "\(errors)")
        busy.process.send(SIGTERM)
        _ = try await busy.process.exitStatus(within: 30)
    }

    /// The symbols of the positions in the state file.
    static func heldSymbols(in folder: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: folder + "/state/trading_state.json"),
            let state = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let positions = state["positions"] as? [[String: Any]]
        else { return [] }
        return positions.compactMap { $0["symbol"] as? String }
    }

    static func journal(_ folder: String) -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: folder + "/logs/orders.jsonl", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// The client order id of the journaled intent closing `symbol` for the operator.
    static func operatorIntent(in folder: String, symbol: String) -> String? {
        journal(folder).last { $0["event"] as? String == "intent" && $0["rule"] as? String == "operator" && $0["symbol"] as? String == symbol }?[
            "client_order_id"] as? String
    }
}
