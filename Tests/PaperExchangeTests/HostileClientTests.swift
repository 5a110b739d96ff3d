import Benchmarks
import Foundation
import PaperExchange
import Primitives
import TestSupport
import Testing

/// What a hostile local client sends the exchange: bodies too large, duplicate keys, control characters,
/// other content types, connections left idle or trickled a byte at a time.
struct HostileClientTests {
    private static let order = #""symbol":"AAPL","side":"buy","type":"market","time_in_force":"day""#

    private static func options(maxConnections: Int = 64, idleTimeout: Duration = .seconds(1)) -> ExchangeServer.Options {
        var options = Harness.options()
        options.limits = ConnectionLimits(maxConnections: maxConnections, idleTimeout: idleTimeout)
        return options
    }

    /// A body over 1 MiB is answered 413 in Alpaca's `{"code","message"}` shape (it was 500), and no
    /// order is made.
    @Test func overLimitBodyIs413() async throws {
        try await Harness.withExchange { _, client in
            let padding = String(repeating: "x", count: (1 << 20) + 16)
            let reply = try await client.post("/v2/orders", #"{\#(Self.order),"qty":"1","note":"\#(padding)"}"#)
            #expect(reply.status == 413, "\(reply.status) \(reply.text.prefix(200))")
            #expect(try reply.json["code"]?.intValue == 40_010_000)
            #expect(try reply.json["message"]?.stringValue?.contains("larger than") == true)
            #expect(try await client.json("/v2/orders?status=all").arrayValue?.isEmpty == true)
        }
    }

    /// A body that names a key twice (`"qty":"1","qty":"1000"`) is 400, not read as its last value.
    @Test func duplicateKeysRefused() async throws {
        try await Harness.withExchange { _, client in
            let reply = try await client.post("/v2/orders", #"{\#(Self.order),"qty":"1","qty":"1000"}"#)
            #expect(reply.status == 400, "\(reply.status) \(reply.text)")
            #expect(try reply.json["code"]?.intValue == 40_010_000)
            #expect(try reply.json["message"]?.stringValue?.contains("duplicate member name \"qty\"") == true, "\(reply.text)")
            let nested = try await client.post("/v2/orders", #"{\#(Self.order),"qty":"1","x":{"a":1,"a":2}}"#)
            #expect(nested.status == 400)
            #expect(try await client.json("/v2/orders?status=all").arrayValue?.isEmpty == true)
        }
    }

    /// A control character (NUL, newline, escape, DEL) in `client_order_id` or `symbol` is 422 with
    /// Alpaca's invalid-request code, and the answer does not carry the raw character.
    @Test(arguments: [#"\u0000"#, #"\n"#, #"\u001b"#, #"\u007f"#])
    func controlCharactersInIDsRefused(character: String) async throws {
        try await Harness.withExchange { _, client in
            let id = try await client.post("/v2/orders", #"{\#(Self.order),"qty":"1","client_order_id":"abc\#(character)def"}"#)
            #expect(id.status == 422, "\(id.status) \(id.text)")
            #expect(try id.json["code"]?.intValue == 40_010_001)
            #expect(try id.json["message"]?.stringValue == "client_order_id must not contain control characters")
            let symbol = try await client.post(
                "/v2/orders", #"{"symbol":"AA\#(character)PL","side":"buy","type":"market","time_in_force":"day","qty":"1"}"#)
            #expect(symbol.status == 422, "\(symbol.status) \(symbol.text)")
            #expect(try symbol.json["code"]?.intValue == 40_010_001)
            #expect(!symbol.body.contains { $0 < 0x20 || $0 == 0x7F })
            #expect(try await client.json("/v2/orders?status=all").arrayValue?.isEmpty == true)
        }
    }

    /// A long query value with control characters in it (`symbols`, `status`) is echoed in the error cut to
    /// 64 characters, with the control characters written out.
    @Test func queryValuesEchoedShort() async throws {
        try await Harness.withExchange { _, client in
            let long = String(repeating: "A", count: 600) + "%0A%1B" + String(repeating: "B", count: 600)
            for path in ["/v2/stocks/quotes/latest?symbols=\(long)", "/v2/orders?status=\(long)", "/v2/orders?symbols=\(long)"] {
                let reply = try await client.get(path)
                #expect((400..<500).contains(reply.status), "\(path.prefix(40)): \(reply.status)")
                let message = try #require(try reply.json["message"]?.stringValue, "\(reply.text.prefix(200))")
                #expect(message.count < 200, "\(path.prefix(40)): \(message.count) characters")
                #expect(!message.unicodeScalars.contains { $0.value < 0x20 }, "\(path.prefix(40))")
            }
        }
    }

    /// A body sent as anything but JSON (`text/plain`, a form, XML) is 400; `application/json` with a
    /// charset, or with no Content-Type at all, is read.
    @Test func nonJSONContentTypeRefused() async throws {
        try await Harness.withExchange { _, client in
            let body = #"{\#(Self.order),"qty":"1"}"#
            let keys = [("APCA-API-KEY-ID", Harness.keyID), ("APCA-API-SECRET-KEY", Harness.secretKey)]
            for type in ["text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data; boundary=x"] {
                let reply = try await client.request("POST", "/v2/orders", body: body, credentials: .custom(keys + [("Content-Type", type)]))
                #expect(reply.status == 400, "\(type): \(reply.status) \(reply.text)")
                #expect(try reply.json["code"]?.intValue == 40_010_000)
            }
            #expect(try await client.json("/v2/orders?status=all").arrayValue?.isEmpty == true)
            let charset = try await client.request(
                "POST", "/v2/orders", body: body, credentials: .custom(keys + [("Content-Type", "application/json; charset=utf-8")]))
            #expect(charset.status == 200, "\(charset.text)")
        }
    }

    /// A connection opened and left idle is closed by the exchange within its idle timeout (1 s here;
    /// waited for up to 20 s).
    @Test func idleConnectionClosed() async throws {
        try await Harness.withExchange(Self.options()) { _, client in
            let socket = try LoopbackSocket(port: client.port)
            #expect(await socket.closedByServer(within: 20), "the idle connection is still open after 20 s")
        }
    }

    /// A client that sends its request head a byte every 100 ms and never finishes it (slowloris) is
    /// closed within seconds, though bytes keep coming.
    @Test func slowlorisHeaderClosed() async throws {
        try await Harness.withExchange(Self.options()) { _, client in
            let socket = try LoopbackSocket(port: client.port)
            _ = socket.send("GET /v2/account HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            var closed = false
            for _ in 0..<200 where !closed {
                closed = !socket.send("a")
                if !closed { closed = await socket.closedByServer(within: 0.1) }
            }
            #expect(closed, "the slow client was still connected after 20 s")
        }
    }

    /// With a limit of 8 connections, 40 clients holding idle connections do not stop the exchange:
    /// every request still gets its answer (idle holders are closed in turn).
    @Test func manyIdleConnectionsDoNotStopAnswers() async throws {
        try await Harness.withExchange(Self.options(maxConnections: 8)) { _, client in
            var held: [LoopbackSocket] = []
            for _ in 0..<40 { held.append(try LoopbackSocket(port: client.port)) }
            for _ in 0..<3 {
                let reply = try await client.get("/v2/clock")
                #expect(reply.status == 200)
            }
            withExtendedLifetime(held) {}
        }
    }
}

/// Stopping the exchange while a flood of connections is still being accepted.
struct StopUnderFloodTests {
    /// The exchange stopped (its task cancelled, as `withRunning` and the embedded runtime do) while 400
    /// connections a round pour in ends cleanly, round after round: it used to crash the process now and
    /// then ("Deinited NIOAsyncWriter without calling finish()"), when connections accepted but not yet
    /// handed over were dropped with the cancelled accept loop.
    @Test func stoppedWhileConnectionsPourIn() async throws {
        for _ in 0..<15 {
            let flood = try await Harness.withExchange { _, client in
                let flood = ConnectionFlood(targets: [.init(port: client.port, idle: 400, slow: 0)])
                flood.start()
                // Stop once connections are being accepted.
                _ = try await client.get("/v2/clock")
                return flood
            }
            let figures = await flood.stop()
            #expect(figures.opened > 0)
        }
    }
}
