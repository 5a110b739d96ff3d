import Foundation
import Persistence
import Primitives
import TestSupport
import Testing

/// "Nothing leaves after a halt": a standalone `bulwark exchange` and `bulwark run --headless` pointed at
/// it with the busy settings (every alert an entry), then `touch state/HALT` or SIGTERM in the middle of
/// the flow; the exchange's own order list says what still arrived. At most one order (the one already
/// on the wire) may be created after the halt or the signal.
@Suite(.serialized)
struct HaltStopsOrdersTests {
    /// Several trials of `touch state/HALT` while orders flow: HALTED is written, and at most one order
    /// reaches the exchange after the file appears.
    @Test func killSwitchStopsOrdersAtOnce() async throws {
        let market = try await BusyMarket.start()
        let bulwark = try market.startBulwark()
        for trial in 1...3 {
            try await market.waitForOrdersToFlow(bulwark)
            let halt = Date()
            #expect(FileManager.default.createFile(atPath: market.haltPath, contents: nil))
            let halted = try await market.secondsUntil(within: 20) { market.tradingMode() == "HALTED" }
            #expect(halted != nil, "trial \(trial): trading not HALTED within 20 s of state/HALT; stderr: \(bulwark.stderr.suffix(1500))")
            let late = try await market.ordersCreated(after: halt)
            try await market.report(
                "kill switch trial \(trial) (HALTED in the state file after \(halted.map { "\(Int($0 * 1000)) ms" } ?? "more than 20 s"))", late: late, since: halt)
            #expect(late.count <= 1, "trial \(trial): \(late.count) orders created after state/HALT appeared")
            try FileManager.default.removeItem(atPath: market.haltPath)
            let resumed = try await eventually(within: 20) { market.tradingMode() == "ACTIVE" }
            #expect(resumed, "trial \(trial): trading not ACTIVE again once state/HALT was removed")
        }
        bulwark.send(SIGTERM)
        #expect(try await bulwark.exitStatus(within: 30) == 0)
        market.stop()
    }

    /// Several trials of SIGTERM while orders flow: the process exits 0 within 10 s and at most one order
    /// reaches the exchange after the signal.
    @Test func stopSignalEndsOrderSending() async throws {
        let market = try await BusyMarket.start()
        for trial in 1...3 {
            let bulwark = try market.startBulwark()
            try await market.waitForOrdersToFlow(bulwark)
            let signal = Date()
            bulwark.send(SIGTERM)
            let status = try await bulwark.exitStatus(within: 10)
            let exited = Date().timeIntervalSince(signal)
            #expect(status == 0, "trial \(trial): not exited 0 within 10 s of SIGTERM; stderr: \(bulwark.stderr.suffix(1500))")
            let late = try await market.ordersCreated(after: signal)
            try await market.report("SIGTERM trial \(trial) (exited after \(Int(exited * 1000)) ms)", late: late, since: signal)
            #expect(late.count <= 1, "trial \(trial): \(late.count) orders created after SIGTERM")
            if status == nil { bulwark.send(SIGKILL) }
            _ = try await bulwark.exitStatus(within: 30)
        }
        market.stop()
    }

    /// A HALT file that exists for one second while orders flow is seen: the kill-switch halt shows in
    /// the log, and trading is ACTIVE again once the file is gone.
    @Test func shortLivedKillSwitchIsSeen() async throws {
        let market = try await BusyMarket.start()
        let bulwark = try market.startBulwark()
        try await market.waitForOrdersToFlow(bulwark)
        #expect(FileManager.default.createFile(atPath: market.haltPath, contents: nil))
        _ = try await offThread { usleep(1_000_000) }  // the HALT file's lifetime, not a wait for a condition
        try FileManager.default.removeItem(atPath: market.haltPath)
        let seen = try await eventually(within: 10) { bulwark.stderr.contains("kill switch engaged") }
        #expect(seen, "a HALT file that existed for 1 s was not seen; stderr: \(bulwark.stderr.suffix(1500))")
        let resumed = try await eventually(within: 20) { market.tradingMode() == "ACTIVE" }
        #expect(resumed)
        bulwark.send(SIGTERM)
        #expect(try await bulwark.exitStatus(within: 30) == 0)
        market.stop()
    }
}

/// A paper exchange with fast flow alerts and a Bulwark configured so that every alert is an entry.
private final class BusyMarket: Sendable {
    private static let key = "PKSENDGATE0001"
    private static let secret = "SKsendgatesecret0002"
    private static let token = "UWsendgatetoken0003"

    let folder: TemporaryFolder
    let exchange: RunningBinary
    let url: String

    private init(folder: TemporaryFolder, exchange: RunningBinary, url: String) {
        self.folder = folder
        self.exchange = exchange
        self.url = url
    }

    static func start() async throws -> BusyMarket {
        let folder = TemporaryFolder()
        let exchange = try RunningBinary(
            ["exchange", "--port", "0", "--seed", "7", "--key-id", key, "--secret-key", secret, "--uw-token", token, "--state-dir", "exchange",
             "--alert-interval-seconds", "1", "--rate-limit", "100000", "--session", "always"],
            in: folder.path)
        let line = try await exchange.line(containing: "listening on http://127.0.0.1:", within: 60)
        let url = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        return BusyMarket(folder: folder, exchange: exchange, url: url)
    }

    var haltPath: String { folder.path + "/state/" + KillSwitch.fileName }

    /// `bulwark run --headless` on this exchange with the busy settings (and entries priced to fill, so
    /// that orders keep flowing instead of resting).
    func startBulwark() throws -> RunningBinary {
        try RunningBinary(
            ["run", "--headless"], in: folder.path,
            environment: [
                "APCA_API_KEY_ID": Self.key, "APCA_API_SECRET_KEY": Self.secret, "UW_API_TOKEN": Self.token,
                "APCA_API_BASE_URL": url, "APCA_API_DATA_URL": url, "UW_API_BASE_URL": url,
                "MIN_COOLDOWN_MINUTES": "0", "UW_POLL_SECONDS": "1", "MIN_FLOW_PREMIUM_USD": "1", "MIN_ASK_SIDE_SHARE": "0.01",
                "ENTRY_SLIPPAGE_PCT": "0.01", "DASHBOARD_PORT": "0",
            ])
    }

    /// Waits (at most 120 s) until three more orders than now have reached the exchange.
    func waitForOrdersToFlow(_ bulwark: RunningBinary) async throws {
        let before = try await offThread { try self.orders().count }
        let flowing = try await eventually(within: 120) { ((try? self.orders().count) ?? 0) >= before + 3 }
        guard flowing else { throw RunningBinary.Failure("orders did not flow within 120 s; stderr: \(bulwark.stderr.suffix(1500))") }
    }

    /// The creation times of the newest 500 orders the exchange holds (a blocking curl).
    func orders() throws -> [Date] {
        let answer = try Curl.runBlocking(
            ["-H", "APCA-API-KEY-ID: \(Self.key)", "-H", "APCA-API-SECRET-KEY: \(Self.secret)", "\(url)/v2/orders?status=all&limit=500"])
        guard answer.status == 200, let list = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [[String: Any]] else {
            throw RunningBinary.Failure("GET /v2/orders answered \(answer.status): \(answer.body.prefix(300))")
        }
        return list.compactMap { ($0["created_at"] as? String).flatMap(Timestamp.init(rfc3339:))?.date }
    }

    func ordersCreated(after moment: Date) async throws -> [Date] {
        try await offThread { try self.orders().filter { $0 > moment }.sorted() }
    }

    /// The mode in `state/trading_state.json` (nil while unreadable).
    func tradingMode() -> String? {
        guard let data = FileManager.default.contents(atPath: folder.path + "/state/trading_state.json"),
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return nil }
        return (json["trading_state"] as? [String: Any])?["mode"] as? String
    }

    /// Prints what the lead reports: how many orders came after the moment, and when the last order was
    /// created relative to it (negative: before it, so orders were still flowing up to that moment).
    func report(_ trial: String, late: [Date], since moment: Date) async throws {
        let last = try await offThread { try self.orders().max() }
        let lateness = last.map { "\(Int(($0.timeIntervalSince(moment) * 1000).rounded())) ms" } ?? "no order at all"
        print("[halt-lateness] \(trial): \(late.count) order(s) created after it; last order created at \(lateness) relative to it")
    }

    /// Polls `condition` every 10 ms for at most `seconds`: how long it took to hold, or nil if it did not.
    func secondsUntil(within seconds: Double, _ condition: @escaping @Sendable () -> Bool) async throws -> Double? {
        try await offThread {
            let start = Date()
            while !condition() {
                guard Date().timeIntervalSince(start) < seconds else { return nil }
                usleep(10_000)
            }
            return Date().timeIntervalSince(start)
        }
    }

    func stop() {
        exchange.send(SIGTERM)
        _ = exchange.waitForExit(within: 30)
    }
}
