import Foundation
import PaperExchange
import Primitives
import Settings
import TestSupport
import Testing

/// The book survives a restart, like an account at a real broker.
struct PersistenceTests {
    /// Cash, positions, orders, used client_order_ids and alerts are the same after a restart, in a
    /// 0600 file inside a 0700 folder.
    @Test func bookSurvivesRestart() async throws {
        let folder = TemporaryFolder()
        let stateDirectory = folder.path + "/state"
        let clock = ManualClock(now: Harness.start)
        let options = Harness.options(stateDirectory: stateDirectory)
        let buy = #"{"symbol":"GOOGL","qty":"7","side":"buy","type":"market","time_in_force":"day","client_order_id":"persist-1"}"#

        let before = try await Harness.withExchange(options, clock: clock) { _, client in
            _ = try await client.order(buy)
            _ = try await client.order(#"{"symbol":"AAPL","qty":"1","side":"buy","type":"limit","time_in_force":"gtc","limit_price":"20"}"#)
            return [
                try await client.json("/v2/account"), try await client.json("/v2/positions"),
                try await client.json("/v2/orders?status=all"), try await client.json("/api/option-trades/flow-alerts", credentials: .flow),
            ]
        }
        #expect(folder.mode(of: "state") == 0o700)
        #expect(folder.mode(of: "state/paper_exchange.json") == 0o600)

        let after = try await Harness.withExchange(options, clock: clock) { _, client in
            let reused = try await client.post("/v2/orders", buy)
            #expect(reused.status == 422, "a client_order_id stays used after a restart")
            #expect(try reused.json["message"] == .string("client_order_id must be unique"))
            return [
                try await client.json("/v2/account"), try await client.json("/v2/positions"),
                try await client.json("/v2/orders?status=all"), try await client.json("/api/option-trades/flow-alerts", credentials: .flow),
            ]
        }
        #expect(after == before)
        #expect(before[1].arrayValue?.count == 1)
        #expect(before[2].arrayValue?.count == 2)
        #expect((before[3]["data"]?.arrayValue?.count ?? 0) > 0)
    }

    /// The market after a restart carries on exactly where an uninterrupted exchange would be.
    @Test func marketContinuesAcrossRestart() throws {
        let configuration = ExchangeBook.Configuration(seed: 11)
        var uninterrupted = ExchangeBook(configuration: configuration, createdAt: Harness.start)
        var first = ExchangeBook(configuration: configuration, createdAt: Harness.start)
        first.advance(to: Harness.start.advanced(by: .seconds(90)))
        let encoded = try JSONEncoder().encode(first.state)
        var restored = ExchangeBook(restoring: try JSONDecoder().decode(BookState.self, from: encoded), configuration: configuration)
        let later = Harness.start.advanced(by: .seconds(1_800))
        uninterrupted.advance(to: later)
        restored.advance(to: later)
        #expect(restored.state == uninterrupted.state)
        #expect(restored.market.quote(Symbol("AAPL")!) == uninterrupted.market.quote(Symbol("AAPL")!))
    }

    /// A damaged book file stops the exchange from starting, with the file named, instead of being replaced.
    @Test func damagedFileRefusesToStart() throws {
        let folder = TemporaryFolder()
        try PrivateDirectory.prepare(folder.path + "/state")
        let path = folder.path + "/state/paper_exchange.json"
        try #"{"schema_version":1,"cash":"#.write(toFile: path, atomically: true, encoding: .utf8)
        let damaged = #expect(throws: BookFile.Failure.self) {
            _ = try ExchangeServer(options: Harness.options(stateDirectory: folder.path + "/state"), logger: Harness.quietLogger)
        }
        #expect(damaged?.path == path)
        #expect(damaged?.reason.contains("move it away") == true)
        try #"{"schema_version":99}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let newer = #expect(throws: BookFile.Failure.self) {
            _ = try ExchangeServer(options: Harness.options(stateDirectory: folder.path + "/state"), logger: Harness.quietLogger)
        }
        #expect(newer?.reason.contains("schema version 99") == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == #"{"schema_version":99}"#, "the file is left as it was")
    }
}
