import Foundation
import PaperExchange
import TestSupport
import Testing
import Primitives

/// Starting and stopping the exchange in-process.
struct ServerLifecycleTests {
    /// Port 0 binds a free port, readable once it listens; the URL is gone once it stops.
    @Test func ephemeralPortIsReadable() async throws {
        let server = try ExchangeServer(options: Harness.options(), clock: ManualClock(now: Harness.start), logger: Harness.quietLogger)
        #expect(server.baseURL == nil)
        let port = try await server.withRunning { (port: Int) async throws -> Int in
            #expect(port > 0)
            #expect(server.baseURL == "http://127.0.0.1:\(port)")
            #expect(try await server.boundPort() == port)
            #expect(try await RawHTTPClient.send(port: port, method: "GET", path: "/v2/clock").status == 403)
            return port
        }
        #expect(server.baseURL == nil)
        await #expect(throws: ExchangeServer.NotRunning.self) { try await server.boundPort() }
        await #expect(throws: (any Error).self) { try await RawHTTPClient.send(port: port, method: "GET", path: "/v2/clock") }
    }

    /// A port already in use makes starting fail with an error instead of hanging.
    @Test func busyPortFails() async throws {
        try await Harness.withExchange { _, client in
            var options = Harness.options()
            options.port = client.port
            let second = try ExchangeServer(options: options, clock: ManualClock(now: Harness.start), logger: Harness.quietLogger)
            await #expect(throws: (any Error).self) { try await second.withRunning { _ in () } }
        }
    }
}
