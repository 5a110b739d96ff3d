import Foundation
import PaperExchange
import Primitives
import TestSupport
import Testing

/// The trading stream (`/stream`) against its contract samples, on an in-process exchange.
struct TradingStreamTests {
    static let authenticate = #"{"action":"authenticate","data":{"key_id":"\#(Harness.keyID)","secret_key":"\#(Harness.secretKey)"}}"#
    static let listen = #"{"action":"listen","data":{"streams":["trade_updates"]}}"#

    /// Opens the stream, authenticates and listens to `trade_updates`, checking both answers.
    static func listening(port: Int) async throws -> StreamProbe {
        var stream = StreamProbe(port: port, path: "/stream")
        stream.send(text: authenticate)
        #expect(try await stream.nextJSON() == Fixtures.json("stream_authorization.json"))
        stream.send(text: listen)
        #expect(try await stream.nextJSON() == Fixtures.json("stream_listening.json"))
        return stream
    }

    /// A market order is pushed as `new` then `fill`, with the REST order object, the fill's price and
    /// quantity and the position after it; frames are binary, as Alpaca's are.
    @Test func marketOrderIsPushedAsNewThenFill() async throws {
        try await Harness.withExchange { _, client in
            var stream = try await Self.listening(port: client.port)
            let order = try await client.order(#"{"symbol":"AAPL","qty":"3","side":"buy","type":"market","time_in_force":"day"}"#)
            let id = try order.string("id")

            let newMessage = try #require(await stream.next())
            #expect(newMessage.isBinary)
            let new = try JSONValue(parsing: newMessage.bytes)
            try Shape.expect(new, matches: "stream_trade_update_new.json", nullable: ["limit_price"])
            #expect(new["data"]?["event"] == .string("new"))
            #expect(new["data"]?["order"] == order)

            let rest = try await client.json("/v2/orders/\(id)")  // the matcher sees the order on the next request
            let fill = try await stream.nextJSON()
            try Shape.expect(fill, matches: "stream_trade_update_fill.json", nullable: ["limit_price"])
            let data = try #require(fill["data"])
            #expect(data["event"] == .string("fill"))
            #expect(data["order"] == rest)
            #expect(data["price"] == rest["filled_avg_price"])
            #expect(data["qty"] == .string("3"))
            #expect(data["position_qty"] == .string("3"))
            #expect(data["timestamp"] == rest["filled_at"])
            await stream.close()
        }
    }

    /// With no request at all, the exchange's ticker moves the book on the clock and the fill is pushed.
    @Test func fillIsPushedWithoutPolling() async throws {
        let clock = ManualClock(now: Harness.start)
        try await Harness.withExchange(clock: clock) { _, client in
            var stream = try await Self.listening(port: client.port)
            _ = try await client.order(#"{"symbol":"MSFT","qty":"2","side":"buy","type":"market","time_in_force":"day"}"#)
            #expect(try await stream.nextJSON()["data"]?["event"] == .string("new"))
            #expect(await clock.waitForSleepers(1), "the ticker sleeps on the clock")
            clock.advance(by: .milliseconds(500))
            let fill = try await stream.nextJSON()
            #expect(fill["data"]?["event"] == .string("fill"))
            #expect(fill["data"]?["position_qty"] == .string("2"))
            await stream.close()
        }
    }

    /// A resting limit order canceled over REST is pushed as `canceled`.
    @Test func cancelIsPushed() async throws {
        try await Harness.withExchange { _, client in
            var stream = try await Self.listening(port: client.port)
            let order = try await client.order(#"{"symbol":"AAPL","qty":"1","side":"buy","type":"limit","limit_price":"1","time_in_force":"gtc"}"#)
            #expect(try await stream.nextJSON()["data"]?["event"] == .string("new"))
            let canceled = try await client.delete("/v2/orders/\(try order.string("id"))")
            #expect(canceled.status == 204)
            let event = try await stream.nextJSON()
            #expect(event["data"]?["event"] == .string("canceled"))
            #expect(event["data"]?["order"]?["status"] == .string("canceled"))
            await stream.close()
        }
    }

    /// Wrong keys are answered `unauthorized` and the connection is closed; REST still answers.
    @Test func wrongKeysAreUnauthorizedAndClosed() async throws {
        try await Harness.withExchange { _, client in
            var stream = StreamProbe(port: client.port, path: "/stream")
            stream.send(text: #"{"action":"authenticate","data":{"key_id":"\#(Harness.keyID)","secret_key":"wrong"}}"#)
            let answer = try await stream.nextJSON()
            #expect(answer["data"]?["status"] == .string("unauthorized"))
            #expect(answer["stream"] == .string("authorization"))
            _ = await stream.closed()
            _ = try await client.json("/v2/account")
        }
    }

    /// Malformed frames, unknown actions and listening before authenticating are refused and closed.
    @Test(arguments: ["{not json", #"{"action":"dance"}"#, listen])
    func badInputIsRefusedAndClosed(_ text: String) async throws {
        try await Harness.withExchange { _, client in
            var stream = StreamProbe(port: client.port, path: "/stream")
            stream.send(text: text)
            let answer = try await stream.nextJSON()
            #expect(answer["stream"] == .string("error"))
            #expect(answer["data"]?["error_message"]?.stringValue != nil)
            _ = await stream.closed()
            _ = try await client.json("/v2/account")
        }
    }
}
