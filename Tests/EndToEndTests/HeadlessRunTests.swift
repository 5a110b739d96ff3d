import Foundation
import TestSupport
import Testing

/// `bulwark run --headless` on the embedded paper exchange, as an operator or systemd would run it.
@Suite(.serialized)
struct HeadlessRunTests {
    private static func journal(_ folder: String) -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: folder + "/logs/orders.jsonl", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    private static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Quantity by symbol from a list of position objects (strings or numbers).
    private static func quantities(_ positions: Any?) -> [String: Decimal] {
        var result: [String: Decimal] = [:]
        for case let position as [String: Any] in (positions as? [Any]) ?? [] {
            guard let symbol = position["symbol"] as? String else { continue }
            result[symbol] = Decimal(string: "\(position["quantity"] ?? "0")")
        }
        return result
    }

    /// With default settings but any premium, a fresh alert becomes an order, a fill and a position within a minute; SIGTERM
    /// stops it with exit 0; then the state file, the journal and the exchange's book agree on every
    /// position and quantity, and no intent is left pending.
    @Test func entryAndConsistency() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        // Any premium: the fresh alerts (the backlog at start is stale) on the symbols one entry can buy.
        let binary = try RunningBinary(["run", "--headless"], in: path, environment: ["MIN_FLOW_PREMIUM_USD": "1"])
        let filled = try await eventually(within: 90) { Self.journal(path).contains { $0["event"] as? String == "filled" } }
        #expect(filled, "no fill within 90 s; stderr: \(binary.stderr.suffix(2000))")
        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 60) == 0, "\(binary.stderr.suffix(2000))")

        let state = try Self.json(path + "/state/trading_state.json")
        let book = try Self.json(path + "/state/paper_exchange.json")
        let local = Self.quantities(state["positions"])
        #expect(!local.isEmpty || Self.journal(path).contains { $0["side"] as? String == "sell" })
        #expect(local == Self.quantities(book["positions"]), "state \(local) vs exchange \(Self.quantities(book["positions"]))")
        #expect((state["pending_intents"] as? [Any])?.isEmpty == true)

        // The journal's fills add up to the positions.
        var fromJournal: [String: Decimal] = [:]
        for entry in Self.journal(path) where entry["event"] as? String == "filled" {
            let symbol = entry["symbol"] as? String ?? ""
            let quantity = Decimal(string: entry["quantity"] as? String ?? "0") ?? 0
            fromJournal[symbol, default: 0] += entry["side"] as? String == "buy" ? quantity : -quantity
        }
        #expect(fromJournal.filter { $0.value != 0 } == local)
        #expect(binary.stderr.contains("\"message\":\"start-up done\""))
        #expect(FileManager.default.fileExists(atPath: path + "/logs/bulwark.log"))
    }

    /// With a tiny take-profit, a position is closed at a profit: the sale fills above the entry, it is
    /// journaled, and realised PnL is saved in the state.
    @Test func takeProfitRealisesPnL() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let environment = ["TAKE_PROFIT_PCT": "0.0001", "STOP_LOSS_PCT": "0.9", "MIN_COOLDOWN_MINUTES": "0", "MIN_FLOW_PREMIUM_USD": "1"]
        let binary = try RunningBinary(["run", "--headless"], in: path, environment: environment)
        let closed = try await eventually(within: 120) {
            binary.stderr.split(separator: "\n").contains { Self.takeProfitFilled($0) }
        }
        #expect(closed, "no take-profit exit within 120 s; stderr: \(binary.stderr.suffix(2000))")
        binary.send(SIGINT)
        #expect(try await binary.exitStatus(within: 60) == 0)
        // The take-profit sale filled above the entry: a limit at the bid that triggered it.
        let line = try #require(binary.stderr.split(separator: "\n").first { Self.takeProfitFilled($0) })
        let symbol = try #require(line.firstMatch(of: /sold [0-9.]+ ([A-Z.]+) at/).map { String($0.1) }, "no symbol in \(line)")
        // The take-profit's own fill (by its client order id): with no cooldown the symbol may have been
        // bought and sold before, on another rule.
        let orderID = try #require(
            line.firstMatch(of: /client order ([^)"\\]+)\)/).map { String($0.1) }, "no client order id in \(line)")
        let fills = Self.journal(path).filter { $0["event"] as? String == "filled" && $0["symbol"] as? String == String(symbol) }
        let sell = try #require(fills.firstIndex { $0["side"] as? String == "sell" && $0["client_order_id"] as? String == orderID })
        let buy = try #require(fills[..<sell].last { $0["side"] as? String == "buy" })
        let bought = Decimal(string: buy["price"] as? String ?? "") ?? 0
        let sold = Decimal(string: fills[sell]["price"] as? String ?? "") ?? 0
        #expect(sold > bought, "\(symbol): bought at \(bought), sold at \(sold)")
        // The realised PnL saved is what the journal's fills add up to (average cost; the take-profit's
        // gain and a later loss may cancel out, so "not zero" would not do).
        let state = try Self.json(path + "/state/trading_state.json")
        let saved = Decimal(string: state["realized_pnl"] as? String ?? "") ?? -1
        #expect(saved == Self.realizedPnL(Self.journal(path)), "state says \(saved)")
    }

    /// The log line that ends a take-profit order with its fill: "action carried out" when the broker
    /// filled it at once, "order followed to its end" when it rested first (the follower's line).
    static func takeProfitFilled(_ line: Substring) -> Bool {
        line.contains("\"rule\":\"take_profit\"") && line.contains("filled: sold")
    }

    /// Realised PnL from the journal's fills, by average cost per symbol (long positions).
    static func realizedPnL(_ journal: [[String: Any]]) -> Decimal {
        var held: [String: (quantity: Decimal, average: Decimal)] = [:]
        var realized: Decimal = 0
        for fill in journal where fill["event"] as? String == "filled" {
            let symbol = fill["symbol"] as? String ?? ""
            let quantity = Decimal(string: fill["quantity"] as? String ?? "") ?? 0
            let price = Decimal(string: fill["price"] as? String ?? "") ?? 0
            var position = held[symbol] ?? (0, 0)
            if fill["side"] as? String == "buy" {
                position.average = (position.average * position.quantity + price * quantity) / (position.quantity + quantity)
                position.quantity += quantity
            } else {
                realized += (price - position.average) * quantity
                position.quantity -= quantity
            }
            held[symbol] = position
        }
        return realized
    }

    /// A guard rejection is journaled with its check, limit and value, and trading goes on: a later order fills.
    @Test func guardRejectionAndTradingGoesOn() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        // Entries of 2 shares above $175 break a $350 cap; cheaper ones pass.
        let binary = try RunningBinary(["run", "--headless"], in: path, environment: ["MAX_NOTIONAL_PER_ORDER": "350", "MIN_FLOW_PREMIUM_USD": "1"])
        let shown = try await eventually(within: 150) {
            let journal = Self.journal(path)
            guard let rejected = journal.firstIndex(where: { $0["event"] as? String == "guard_rejected" && $0["check"] as? String == "max_notional" }) else { return false }
            return journal[rejected...].contains { $0["event"] as? String == "filled" }
        }
        #expect(shown, "no rejection followed by a fill within 150 s; stderr: \(binary.stderr.suffix(2000))")
        let rejection = try #require(Self.journal(path).first { $0["event"] as? String == "guard_rejected" })
        #expect(rejection["limit"] as? String == "350.00 USD")
        #expect(rejection["actual"] != nil && rejection["message"] != nil)
        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 60) == 0)
    }

    /// Without a terminal, `bulwark run` (and `bulwark` alone) refuses with exit 64, says to use
    /// --headless, and starts nothing (no state written).
    @Test func consoleNeedsATerminal() async throws {
        let folder = TemporaryFolder()
        for arguments in [["run"], []] {
            let output = try await BinaryRunner.run(arguments, in: folder.path)
            #expect(output.status == 64, "\(arguments)")
            #expect(output.stderr.contains("--headless"))
            #expect(output.stdout.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/state/trading_state.json"))
    }
}
