import Foundation
import HTTPTypes
import NIOWebSocket
import PaperExchange
import Primitives
import TestSupport
import Testing

/// The market-data stream (`/v2/iex`, `/v2/sip`) against its contract samples, in JSON and MessagePack.
struct MarketDataStreamTests {
    static let auth = #"{"action":"auth","key":"\#(Harness.keyID)","secret":"\#(Harness.secretKey)"}"#

    /// JSON: connected, authenticated, subscribed; then each step of the walk pushes the subscribed
    /// symbols' trades and quotes, and nothing for the others; unsubscribing is answered likewise.
    @Test func jsonQuotesAndTrades() async throws {
        let clock = ManualClock(now: Harness.start)
        try await Harness.withExchange(clock: clock) { _, client in
            var stream = StreamProbe(port: client.port, path: "/v2/iex")
            #expect(try await stream.nextJSON() == Fixtures.json("stream_md_connected.json"))
            stream.send(text: Self.auth)
            #expect(try await stream.nextJSON() == Fixtures.json("stream_md_authenticated.json"))
            stream.send(text: #"{"action":"subscribe","quotes":["AAPL"],"trades":["AAPL"]}"#)
            let subscribed = try await stream.nextJSON()
            #expect(subscribed[0]?.objectValue?.keys == (try Fixtures.json("stream_md_subscription.json"))[0]?.objectValue?.keys)
            #expect(subscribed[0]?["quotes"] == .array([.string("AAPL")]))

            #expect(await clock.waitForSleepers(2), "the ticker and the auth timeout sleep on the clock")
            clock.advance(by: .milliseconds(500))
            let batch = try await stream.nextJSON()
            let messages = try #require(batch.arrayValue)
            #expect(messages.map { $0["T"] } == [.string("t"), .string("q")])
            #expect(messages.allSatisfy { $0["S"] == .string("AAPL") })
            try Shape.expect(.array([messages[1]]), matches: "stream_md_quote.json")
            try Shape.expect(.array([messages[0]]), matches: "stream_md_trade.json")
            let rest = try await client.json("/v2/stocks/AAPL/quotes/latest")
            #expect(messages[1]["bp"] == rest["quote"]?["bp"])
            #expect(messages[1]["t"] == rest["quote"]?["t"])

            stream.send(text: #"{"action":"unsubscribe","trades":["AAPL"]}"#)
            let unsubscribed = try await stream.nextJSON()
            #expect(unsubscribed[0]?["trades"] == .array([]))
            #expect(unsubscribed[0]?["quotes"] == .array([.string("AAPL")]))
            await stream.close()
        }
    }

    /// MessagePack, as alpaca-py's StockDataStream asks for it: binary frames, `t` a timestamp extension.
    @Test func messagePackQuotes() async throws {
        let clock = ManualClock(now: Harness.start)
        try await Harness.withExchange(clock: clock) { _, client in
            var stream = StreamProbe(port: client.port, path: "/v2/sip", headers: [.contentType: "application/msgpack"])
            #expect(try await stream.nextMessagePack() == Fixtures.json("stream_md_connected.json"))
            stream.send(binary: MessagePackValue.map([
                (.string("action"), .string("auth")), (.string("key"), .string(Harness.keyID)), (.string("secret"), .string(Harness.secretKey)),
            ]).packed)
            #expect(try await stream.nextMessagePack() == Fixtures.json("stream_md_authenticated.json"))
            stream.send(binary: MessagePackValue.map([(.string("action"), .string("subscribe")), (.string("quotes"), .array([.string("*")]))]).packed)
            #expect(try await stream.nextMessagePack()[0]?["quotes"] == .array([.string("*")]))

            #expect(await clock.waitForSleepers(2))
            clock.advance(by: .milliseconds(500))
            let message = try #require(await stream.next())
            #expect(message.isBinary)
            let batch = try MessagePackValue(unpacking: message.bytes)
            guard case .array(let quotes) = batch else { Issue.record("not an array: \(batch)"); return }
            #expect(quotes.count == Listing.defaultSymbols.count)
            guard case .timestamp? = quotes.first?["t"] else { Issue.record("t is not a timestamp"); return }
            guard case .double? = quotes.first?["bp"] else { Issue.record("bp is not a float"); return }
            await stream.close()
        }
    }

    /// Alpaca's errors, each followed by the connection closing: bad keys (402), a subscription before
    /// authenticating (401), an unknown action or a frame that is not JSON (400), too many symbols (405),
    /// a channel of another feed (410). REST keeps answering.
    @Test(arguments: [
        ([#"{"action":"auth","key":"nope","secret":"nope"}"#], 402),
        ([#"{"action":"subscribe","quotes":["AAPL"]}"#], 401),
        ([auth, #"{"action":"dance"}"#], 400),
        ([auth, "{\"action\":"], 400),
        ([auth, #"{"action":"subscribe","quotes":[\#((0..<31).map { "\"S\($0)\"" }.joined(separator: ","))]}"#], 405),
        ([auth, #"{"action":"subscribe","news":["AAPL"]}"#], 410),
    ])
    func errorsCloseTheConnection(_ messages: [String], code: Int) async throws {
        try await Harness.withExchange { _, client in
            var stream = StreamProbe(port: client.port, path: "/v2/iex")
            _ = try await stream.nextJSON()
            for (index, text) in messages.enumerated() {
                stream.send(text: text)
                let answer = try await stream.nextJSON()
                if index == messages.count - 1 {
                    #expect(answer[0]?["T"] == .string("error"))
                    #expect(answer[0]?["code"]?.intValue == code)
                }
            }
            #expect(await stream.closed() != nil)
            _ = try await client.json("/v2/account")
        }
    }

    /// A frame over the size cap closes the connection with 1009 (message too big); the exchange, its
    /// other streams and REST go on.
    @Test func oversizedFrameClosesOnlyThatConnection() async throws {
        var options = Harness.options()
        options.streams.maxMessageBytes = 4_096
        try await Harness.withExchange(options) { _, client in
            var bystander = StreamProbe(port: client.port, path: "/v2/iex")
            _ = try await bystander.nextJSON()
            var stream = StreamProbe(port: client.port, path: "/v2/iex")
            _ = try await stream.nextJSON()
            stream.send(text: #"{"action":"auth","key":""# + String(repeating: "k", count: 10_000) + #""}"#)
            #expect(await stream.closed() == .messageTooLarge)
            bystander.send(text: Self.auth)
            #expect(try await bystander.nextJSON() == Fixtures.json("stream_md_authenticated.json"))
            _ = try await client.json("/v2/account")
            await bystander.close()
        }
    }

    /// One connection more than the limit is refused with 406 and closed.
    @Test func connectionLimit() async throws {
        var options = Harness.options()
        options.streams.maxConnections = 1
        try await Harness.withExchange(options) { _, client in
            var first = StreamProbe(port: client.port, path: "/v2/iex")
            _ = try await first.nextJSON()
            var second = StreamProbe(port: client.port, path: "/v2/iex")
            #expect(try await second.nextJSON()[0]?["code"]?.intValue == 406)
            _ = await second.closed()
            await first.close()
        }
    }
}
