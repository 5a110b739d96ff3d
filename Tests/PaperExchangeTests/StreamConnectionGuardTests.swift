import Foundation
import PaperExchange
import Primitives
import TestSupport
import Testing

/// One port serves HTTP and the websocket streams: connections that have not sent a request are guarded
/// as plain HTTP ones are (idle timeout, connection limit, graceful stop), while an upgraded stream is not
/// closed by them.
struct StreamConnectionGuardTests {
    private static let order = #"{"symbol":"AAPL","qty":"1","side":"buy","type":"market","time_in_force":"day"}"#

    private static func options(maxConnections: Int = 64, idleTimeout: Duration = .seconds(1)) -> ExchangeServer.Options {
        var options = Harness.options()
        options.limits = ConnectionLimits(maxConnections: maxConnections, idleTimeout: idleTimeout)
        return options
    }

    /// A quiet trading stream outlives the idle timeout (1 s): an idle connection opened after it is closed,
    /// and the stream still pushes the next order's `new`.
    @Test func streamOutlivesIdleTimeout() async throws {
        try await Harness.withExchange(Self.options()) { _, client in
            var stream = try await TradingStreamTests.listening(port: client.port)
            let idle = try LoopbackSocket(port: client.port)
            #expect(await idle.closedByServer(within: 20), "the idle connection is still open after 20 s")
            _ = try await client.order(Self.order)
            #expect(try await stream.nextJSON()["data"]?["event"] == .string("new"))
            await stream.close()
        }
    }

    /// With a limit of 4 connections, 12 idle connections opened after a trading stream push one another
    /// out, never the stream (quieter than all of them): it still pushes the next order's `new`.
    @Test func idleFloodDoesNotPushOutAStream() async throws {
        try await Harness.withExchange(Self.options(maxConnections: 4, idleTimeout: .seconds(60))) { _, client in
            var stream = try await TradingStreamTests.listening(port: client.port)
            var held: [LoopbackSocket] = []
            for _ in 0..<12 { held.append(try LoopbackSocket(port: client.port)) }
            // The last of them is served: the flood has been accepted (and the roster has evicted) by now.
            #expect(try await client.get("/v2/clock").status == 200)
            _ = try await client.order(Self.order)
            #expect(try await stream.nextJSON()["data"]?["event"] == .string("new"))
            await stream.close()
            withExtendedLifetime(held) {}
        }
    }

    /// Stopping the exchange closes a connection that has sent no request at once (idle timeout 30 s
    /// here): without that, the stop waited on it until its idle timeout ran out.
    @Test func stopClosesAConnectionThatSentNothing() async throws {
        let server = try ExchangeServer(
            options: Self.options(idleTimeout: .seconds(30)), clock: ManualClock(now: Harness.start), logger: Harness.quietLogger)
        let running = Task { try await server.run() }
        let port = try await server.boundPort()
        let socket = try LoopbackSocket(port: port)
        // Served once this answers: connections are accepted in order.
        #expect(try await ExchangeClient(port: port).get("/v2/clock").status == 200)
        running.cancel()
        #expect(await socket.closedByServer(within: 10), "the connection is still open 10 s after the stop began")
        _ = await running.result
    }
}
