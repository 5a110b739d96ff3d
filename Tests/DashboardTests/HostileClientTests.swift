import Benchmarks
import Dashboard
import Primitives
import TestSupport
import Testing

/// Connections a hostile local client opens to the dashboard and never uses are closed, so it cannot
/// hold the process's file descriptors.
struct HostileClientTests {
    private static let limits = ConnectionLimits(maxConnections: 64, idleTimeout: .seconds(1))

    /// A connection opened and left idle is closed within the idle timeout (1 s here; waited for up to 20 s).
    @Test func idleConnectionClosed() async throws {
        try await Harness.withDashboard(health: StubHealth(Harness.report(.ok)), limits: Self.limits) { port, _, _ in
            let socket = try LoopbackSocket(port: port)
            #expect(await socket.closedByServer(within: 20), "the idle connection is still open after 20 s")
        }
    }

    /// A client that sends its request head a byte every 100 ms and never finishes it (slowloris) is
    /// closed within seconds, though bytes keep coming.
    @Test func slowlorisHeaderClosed() async throws {
        try await Harness.withDashboard(health: StubHealth(Harness.report(.ok)), limits: Self.limits) { port, _, _ in
            let socket = try LoopbackSocket(port: port)
            _ = socket.send("GET /api/system/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            var closed = false
            for _ in 0..<200 where !closed {
                closed = !socket.send("a")
                if !closed { closed = await socket.closedByServer(within: 0.1) }
            }
            #expect(closed, "the slow client was still connected after 20 s")
        }
    }

    /// With a limit of 8 connections, 40 idle holders do not stop the dashboard: health is still answered.
    @Test func manyIdleConnectionsDoNotStopAnswers() async throws {
        let limits = ConnectionLimits(maxConnections: 8, idleTimeout: .seconds(1))
        try await Harness.withDashboard(health: StubHealth(Harness.report(.ok)), limits: limits) { port, _, _ in
            var held: [LoopbackSocket] = []
            for _ in 0..<40 { held.append(try LoopbackSocket(port: port)) }
            #expect(try await Harness.get(port, "/api/system/health").status == 200)
            withExtendedLifetime(held) {}
        }
    }

    /// With a limit of 8 connections and a 60 s idle timeout, 40 idle holders do not make a health check
    /// wait behind them: the quietest connection is closed for it. (With a first-come limit it waited in the
    /// listen backlog until the holders timed out, and the client gave up after 30 s.)
    @Test func healthCheckGetsPastIdleHolders() async throws {
        let limits = ConnectionLimits(maxConnections: 8, idleTimeout: .seconds(60))
        try await Harness.withDashboard(health: StubHealth(Harness.report(.ok)), limits: limits) { port, _, _ in
            var held: [LoopbackSocket] = []
            for _ in 0..<40 { held.append(try LoopbackSocket(port: port)) }
            for _ in 0..<3 {
                #expect(try await Harness.get(port, "/api/system/health").status == 200)
            }
            withExtendedLifetime(held) {}
        }
    }

    /// The servers' share of file descriptors leaves trading its reserve: at 1,024 each server may hold
    /// 192, and two at their limits leave more than half.
    @Test func connectionLimitsLeaveAReserve() {
        #expect(ConnectionLimits.maxConnections(descriptorLimit: 1024) == 192)
        #expect(2 * ConnectionLimits.maxConnections(descriptorLimit: 1024) < 1024 / 2)
        #expect(ConnectionLimits.maxConnections(descriptorLimit: 1_048_576) == 512)
        #expect(ConnectionLimits.maxConnections(descriptorLimit: 64) == 16)
    }

    /// Raising the soft descriptor limit never lowers it and never passes the hard limit.
    @Test func descriptorLimitRaisedToHard() {
        let before = DescriptorLimit.current()
        let after = DescriptorLimit.raiseSoftToHard()
        #expect(after.soft >= before.soft)
        #expect(after.soft <= after.hard)
    }
}

/// Stopping the dashboard while a flood of connections is still being accepted.
struct DashboardStopUnderFloodTests {
    /// The dashboard stopped (its task cancelled, as the supervisor's restarts and chaos
    /// `supervisor_crash` do) while 400 connections a round pour in ends cleanly, round after round,
    /// instead of crashing the process now and then ("Deinited NIOAsyncWriter without calling finish()").
    @Test func stoppedWhileConnectionsPourIn() async throws {
        for _ in 0..<15 {
            let flood = try await Harness.withDashboard(health: StubHealth(Harness.report(.ok))) { port, _, _ in
                let flood = ConnectionFlood(targets: [.init(port: port, idle: 400, slow: 0)])
                flood.start()
                // Stop once connections are being accepted.
                _ = try await Harness.get(port, "/api/system/health")
                return flood
            }
            let figures = await flood.stop()
            #expect(figures.opened > 0)
        }
    }
}
