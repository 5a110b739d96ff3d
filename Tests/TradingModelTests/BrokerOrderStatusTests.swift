import Testing
import TradingModel

/// How Alpaca's order statuses read as Bulwark's.
struct BrokerOrderStatusTests {
    /// `replaced` (after Alpaca's `PATCH /v2/orders/{id}`) is an order that can no longer fill, read and written
    /// back under its own name; a status Bulwark does not know still counts as open.
    @Test func replacedIsClosed() {
        let replaced = BrokerOrder.Status(rawValue: "replaced")
        #expect(replaced == .replaced)
        #expect(!replaced.isOpen)
        #expect(replaced.rawValue == "replaced")
        #expect(BrokerOrder.Status(rawValue: "pending_replace").isOpen)
        #expect(BrokerOrder.Status(rawValue: "new").isOpen)
    }
}
