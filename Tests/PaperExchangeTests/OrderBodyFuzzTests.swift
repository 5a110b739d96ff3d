import ExchangeFuzzing
import Foundation
import PaperExchange
import TestSupport
import Testing
import Primitives

/// The order-body target of `make fuzz` (the exchange's JSON reader, then the order validation), run
/// briefly with a fixed seed so that CI exercises it, and the reader's depth limit on its own.
struct OrderBodyFuzzTests {
    /// 3,000 order bodies (seed 19; the contract samples, built-in orders and hostile bodies, mutated)
    /// through `ExchangeServer.orderRequest(body:)`: none crashes and none breaks a promise of the reader.
    @Test func shortOrderBodyFuzzRunKeepsEveryPromise() throws {
        let folder = TemporaryFolder()
        let seeds = try ["order_request.json", "order.json"].map(Fixtures.bytes)
        var fuzzer = Fuzzer(seed: 19, folder: folder.path, builtIn: [], targets: [OrderBodyTarget.target(seeds: seeds)])
        let report = fuzzer.run(iterations: 3_000, budget: .seconds(300))
        print("order-body fuzz: \(report)")
        let name = OrderBodyTarget.name
        #expect(report.inputs(of: name) == report.iterations && report.envFiles == 0 && report.stateFiles == 0, "\(report)")
        let json = report.passed(name, OrderBodyTarget.json)
        let orders = report.passed(name, OrderBodyTarget.order)
        #expect(orders > 0 && json > orders, "\(report)")
        #expect(report.failureCount == 0, "\(report.failures.prefix(5).joined(separator: "\n"))")
    }

    /// The contract sample order body is accepted whole by the same path the fuzzer drives.
    @Test func contractOrderBodyIsAccepted() throws {
        let order = try ExchangeServer.orderRequest(body: Fixtures.bytes("order_request.json"))
        #expect(order.symbol.rawValue == "AAPL" && order.clientOrderID == "bw-2f6c1d4e-8a51-4c1e-9a0e-3b8f2d7c9e01")
    }

    /// 100,000 nested `[` (and `{"a":`) are refused by the depth limit at depth 65, not by overflowing the
    /// stack, and the order path answers them 400; 64 levels are still read.
    @Test func deepNestingIsRefusedByTheDepthLimit() throws {
        for opener in ["[", #"{"a":"#] {
            let bytes = Array(String(repeating: opener, count: 100_000).utf8)
            #expect(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
            do {
                _ = try JSONValue(parsing: bytes)
            } catch {
                #expect(error.reason == "nested deeper than 64", "\(error)")
                #expect(error.offset == 64 * opener.utf8.count, "\(error)")
            }
            #expect(throws: ExchangeError.badRequest("request body format is invalid")) { try ExchangeServer.orderRequest(body: bytes) }
        }
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try JSONValue(parsing: deepest).serialized == deepest)
    }
}
