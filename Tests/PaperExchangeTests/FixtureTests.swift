import Foundation
import Testing

struct FixtureTests {
    /// The contract samples every test reads (the repository's own copies; `make contracts-check` compares
    /// them with the design's `shared/contracts` where that folder is beside the clone) are all there and
    /// each is valid JSON.
    @Test func everyContractSampleIsPresentAndValidJSON() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names == [
            "account.json", "clock.json", "error_duplicate_client_order_id.json", "error_forbidden.json", "error_position_not_found.json",
            "flow_alerts.json", "order.json", "order_request.json", "positions.json", "quote_latest.json", "quotes_latest_multi.json",
            "stream_authorization.json", "stream_error.json", "stream_listening.json", "stream_md_authenticated.json", "stream_md_bar.json",
            "stream_md_connected.json", "stream_md_error.json", "stream_md_quote.json", "stream_md_subscription.json",
            "stream_md_trade.json", "stream_trade_update_canceled.json", "stream_trade_update_fill.json", "stream_trade_update_new.json", "trade_latest.json",
        ])
        for name in names {
            let data = try Data(contentsOf: Fixtures.folder.appendingPathComponent(name))
            #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "Fixtures/\(name) is not valid JSON")
        }
    }
}
