import Foundation
import TestSupport
import Testing

/// The binary trading on a busy standalone exchange, killed (SIGKILL) again and again just after it
/// wrote an intent — in the middle of a batch of alerts — and started again each time: the journal and
/// the broker still tell one story.
@Suite(.serialized)
struct CrashReplayTests {
    static let key = "PKCRASHREPLAY00001234"
    static let secret = "SKcrashreplaysecret00WXYZ"
    static let token = "UWcrashreplaytoken0QRST"

    /// Three SIGKILLs of `bulwark run --headless` right after a new intent (`MIN_COOLDOWN_MINUTES=0`,
    /// alerts up to an hour old admitted), each followed by a restart, then a halt: no alert id is acted
    /// on twice among the journal's intents, the journal's fills are the broker's filled orders (client
    /// order id and quantity), and no order is left resting at the broker.
    @Test func killedMidBatchAndRestarted() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let busy = try await BusyExchange.start(seed: 23, key: Self.key, secret: Self.secret, token: Self.token, in: path)
        let (exchange, url, environment) = (busy.process, busy.url, busy.environment)
        defer { exchange.send(SIGKILL) }

        for kill in 1...3 {
            let before = HealedSignalsTests.alertIDs(in: path).count
            let running = try RunningBinary(["run", "--headless"], in: path, environment: environment)
            // Killed a different number of intents into its run each time, the moment the journal has them.
            let grew = try await eventually(within: 40, every: .milliseconds(10)) { HealedSignalsTests.alertIDs(in: path).count >= before + kill }
            running.send(SIGKILL)
            _ = try await running.exitStatus(within: 30)
            #expect(grew, "kill \(kill): no new intent within 40 s: \(running.stderr.suffix(1500))")
        }

        let last = try RunningBinary(["run", "--headless"], in: path, environment: environment)
        let started = try await eventually(within: 60) { last.stderr.contains("\"message\":\"start-up done\"") }
        #expect(started, "\(last.stderr.suffix(1500))")
        let halt = try await BinaryRunner.run(["ctl", "halt"], in: path)
        #expect(halt.status == 0, "\(halt)")
        // Whatever rests is followed to its end (filled, or canceled on timeout) and journaled.
        let settled = try await eventually(within: 45) {
            guard let orders = Self.brokerOrders(url) else { return false }
            return !orders.contains { Self.isOpen($0) } && Self.brokerFills(orders) == Self.journalFills(in: path)
        }
        let orders = Self.brokerOrders(url) ?? []
        let resting = orders.filter { Self.isOpen($0) }.compactMap { $0["client_order_id"] as? String }
        #expect(resting.isEmpty, "orders left resting at the broker: \(resting)")
        let broker = Self.brokerFills(orders)
        let journal = Self.journalFills(in: path)
        #expect(settled && broker == journal, Comment(rawValue: Self.difference(broker: broker, journal: journal, in: path)))
        #expect(!broker.isEmpty, "nothing filled: \(last.stderr.suffix(1500))")
        last.send(SIGTERM)
        #expect(try await last.exitStatus(within: 60) == 0)

        let ids = HealedSignalsTests.alertIDs(in: path)
        let twice = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(twice.isEmpty, "alerts acted on twice: \(twice) of \(ids.count)")
    }

    /// Every order the exchange knows, newest first (`GET /v2/orders?status=all`); nil if it does not answer.
    static func brokerOrders(_ url: String) -> [[String: Any]]? {
        guard
            let answer = try? Curl.runBlocking([
                "-H", "APCA-API-KEY-ID: \(key)", "-H", "APCA-API-SECRET-KEY: \(secret)", url + "/v2/orders?status=all&limit=500",
            ]), answer.status == 200
        else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [[String: Any]]
    }

    static func isOpen(_ order: [String: Any]) -> Bool {
        ["new", "accepted", "pending_new", "partially_filled", "accepted_for_bidding", "pending_cancel", "pending_replace"]
            .contains(order["status"] as? String ?? "")
    }

    /// The broker's filled quantity per client order id, for orders that filled at all.
    static func brokerFills(_ orders: [[String: Any]]) -> [String: Decimal] {
        var fills: [String: Decimal] = [:]
        for order in orders {
            guard let id = order["client_order_id"] as? String, let text = order["filled_qty"] as? String,
                let quantity = Decimal(string: text), quantity > 0
            else { continue }
            fills[id] = quantity
        }
        return fills
    }

    /// The journal's filled quantity per client order id: each `filled` line carries the order's filled
    /// quantity so far, so the largest is the order's.
    static func journalFills(in folder: String) -> [String: Decimal] {
        guard let text = try? String(contentsOfFile: folder + "/logs/orders.jsonl", encoding: .utf8) else { return [:] }
        var fills: [String: Decimal] = [:]
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["event"] as? String == "filled", let id = object["client_order_id"] as? String,
                let quantity = (object["quantity"] as? String).flatMap({ Decimal(string: $0) })
            else { continue }
            fills[id] = max(fills[id] ?? 0, quantity)
        }
        return fills
    }

    /// Which client order ids the two disagree on, and how (with the journal's events for each).
    static func difference(broker: [String: Decimal], journal: [String: Decimal], in folder: String) -> String {
        let ids = Set(broker.keys).union(journal.keys).filter { broker[$0] != journal[$0] }.sorted()
        let text = (try? String(contentsOfFile: folder + "/logs/orders.jsonl", encoding: .utf8)) ?? ""
        let lines = ids.map { id in
            let events = text.split(separator: "\n").filter { $0.contains(id) }.compactMap { line in
                ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["event"] as? String
            }
            return "\(id): broker \(broker[id].map { "\($0)" } ?? "none"), journal \(journal[id].map { "\($0)" } ?? "none")"
                + " (journaled: \(events.isEmpty ? "nothing" : events.joined(separator: ", ")))"
        }
        return "journal fills differ from the broker's (\(broker.count) filled at the broker, \(journal.count) in the journal): "
            + lines.joined(separator: "; ")
    }
}
