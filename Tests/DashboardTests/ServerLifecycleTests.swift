import Dashboard
import Logging
import ServiceLifecycle
import Testing
import TradingModel
import Primitives

struct ServerLifecycleTests {
    /// The server listens on 127.0.0.1, on the ephemeral port it reports.
    @Test func listensOnLoopback() async throws {
        try await Harness.withDashboard(health: StubHealth(Harness.report(.ok))) { port, server, _ in
            let address = try await server.boundAddress()
            #expect(address.host == "127.0.0.1")
            #expect(address.port == port)
            #expect(port > 0)
        }
    }

    /// A host that is not a loopback address is refused before anything listens.
    @Test(arguments: ["0.0.0.0", "192.168.1.20", "10.0.0.1", "localhost", "::", "127.0.0", "1270.0.0.1", ""])
    func refusesOtherHosts(host: String) throws {
        let recorder = MetricsRecorder(bus: EventBus())
        #expect(throws: DashboardError(code: .notLoopback, message: "")) {
            try DashboardServer(host: host, health: StubHealth(Harness.report(.ok)), metrics: recorder, logger: Harness.quietLogger)
        }
    }

    /// A port another socket holds fails `run()` at once with `.cannotListen`, naming the address and what
    /// the errno means ("already in use"), with no type name dumped.
    @Test func takenPortIsNamed() async throws {
        try await Harness.withDashboard(health: StubHealth(Harness.report(.ok))) { port, _, _ in
            let second = try DashboardServer(
                port: port, health: StubHealth(Harness.report(.ok)), metrics: MetricsRecorder(bus: EventBus()), logger: Harness.quietLogger)
            do {
                try await second.run()
                Issue.record("a second server served on a taken port")
            } catch let error as DashboardError {
                #expect(error.code == .cannotListen)
                #expect(error.message.contains("127.0.0.1:\(port) is already in use"), "\(error.message)")
                #expect(!error.message.contains("IOError") && !error.message.contains("errno"), "\(error.message)")
            } catch {
                Issue.record("not a DashboardError: \(error)")
            }
        }
    }

    /// Loopback addresses are accepted.
    @Test(arguments: ["127.0.0.1", "127.1.2.3", "::1"])
    func acceptsLoopback(host: String) {
        #expect(DashboardServer.isLoopback(host))
    }

    /// In a service group, a graceful shutdown stops the server and the recorder, and the recorder leaves
    /// the bus.
    @Test func stopsOnGracefulShutdown() async throws {
        let bus = EventBus()
        let recorder = MetricsRecorder(bus: bus, subscriberName: "metrics")
        let server = try DashboardServer(health: StubHealth(Harness.report(.ok)), metrics: recorder, logger: Harness.quietLogger)
        let group = ServiceGroup(services: [recorder, server], logger: Harness.quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.boundPort()
            let answer = try await Harness.get(port, "/api/system/health")
            #expect(answer.status == 200)
            await group.triggerGracefulShutdown()
            try await tasks.next()
        }
        await #expect(throws: DashboardError(code: .notRunning, message: "")) { try await server.boundPort() }
        #expect(!bus.subscribers.contains { $0.name == "metrics" })
    }
}
