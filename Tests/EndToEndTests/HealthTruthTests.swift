import Foundation
import Primitives
import Synchronization
import TestSupport
import Testing

/// Health that never lies, through the built binary: STARTING (503) until the start-up ends, a transient
/// start-up failure said as such, STOPPED on a clean stop, and a dashboard whose port is taken never OK.
@Suite(.serialized)
struct HealthTruthTests {
    /// The log lines (JSON) whose message is `message` and whose `service` is `service`.
    static func lines(_ stderr: String, message: String, service: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.contains("\"message\":\"\(message)\"") && $0.contains("\"service\":\"\(service)\"") }
    }

    /// With the broker rate-limiting at start (`rate_limit`: 429s), the health endpoint answers 503 STARTING
    /// while the start-up retries (the file says the same), the start-up log says "check APIs: failed
    /// (transient)", never "succeeded"; after SIGTERM `health.json` says STOPPED for the system and every
    /// service, with the time.
    @Test func startingWhileStartingUpThenStopped() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let binary = try RunningBinary(
            ["run", "--headless", "--dashboard-port", "any"], in: path, environment: ["CHAOS_MODE": "rate_limit"])
        let port = try await binary.dashboardPort(within: 30)
        let first = LockedBox<(answer: Curl.Answer, startupDone: Bool)?>(nil)
        let answered = try await eventually(within: 30) {
            guard let answer = try? Curl.runBlocking(["http://127.0.0.1:\(port)/api/system/health"]) else { return false }
            first.value = (answer, binary.stderr.contains("start-up done"))
            return true
        }
        try #require(answered, "the dashboard never answered; stderr: \(binary.stderr.suffix(2000))")
        let (answer, startupDone) = try #require(first.value)
        try #require(!startupDone, "the start-up ended before the dashboard's first answer; stderr: \(binary.stderr.suffix(2000))")
        #expect(answer.status == 503, "\(answer.body)")
        #expect(answer.json?["status"] as? String == "STARTING", "\(answer.body)")

        let checked = try await eventually(within: 90) { binary.stderr.contains("start-up step 2/3 check APIs: failed (transient)") }
        #expect(checked, "\(binary.stderr.suffix(3000))")
        #expect(!binary.stderr.contains("check APIs: succeeded"))
        #expect(try await eventually(within: 90) { binary.stderr.contains("start-up done") }, "\(binary.stderr.suffix(2000))")
        let dashboardOK = try await eventually(within: 30) {
            let services = SupervisionTests.health(path)?["services"] as? [[String: Any]] ?? []
            return services.contains { $0["name"] as? String == "dashboard" && $0["status"] as? String == "OK" }
        }
        #expect(dashboardOK, "the dashboard answers, so it is OK: \(String(describing: SupervisionTests.health(path)))")

        let beforeStop = Date()
        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 60) == 0, "\(binary.stderr.suffix(2000))")
        let health = try #require(SupervisionTests.health(path))
        #expect(health["status"] as? String == "STOPPED", "\(health)")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let stoppedAt = (health["updated_at"] as? String).flatMap { formatter.date(from: $0) }
        #expect(stoppedAt.map { $0.timeIntervalSince(beforeStop) > -1 } == true, "updated_at \(String(describing: health["updated_at"]))")
        let services = health["services"] as? [[String: Any]] ?? []
        #expect(services.count == 6 && services.allSatisfy { $0["status"] as? String == "STOPPED" }, "\(services)")
    }

    /// A dashboard whose port another process holds is never OK: each attempt fails naming the address and
    /// "already in use", no "service recovered" or "service serving" is logged for it, and it is given up
    /// (FAILED) while trading goes on.
    @Test func dashboardPortTaken() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let holder = try LoopbackListener()
        defer { holder.close() }
        let binary = try RunningBinary(
            ["run", "--headless", "--dashboard-port", "\(holder.port)"], in: path, environment: ["SUPERVISOR_MAX_RESTARTS": "3"])
        let dashboard: @Sendable () -> [String: Any]? = {
            let services = SupervisionTests.health(path)?["services"] as? [[String: Any]] ?? []
            return services.first { $0["name"] as? String == "dashboard" }
        }
        let givenUp = try await eventually(within: 60) { dashboard()?["status"] as? String == "FAILED" }
        #expect(givenUp, "dashboard: \(String(describing: dashboard())); stderr: \(binary.stderr.suffix(2000))")
        let lastError = dashboard()?["last_error"] as? String ?? ""
        #expect(lastError.contains("127.0.0.1:\(holder.port) is already in use"), "\(lastError)")
        #expect(dashboard()?["restarts"] as? Int == 2)
        let stderr = binary.stderr
        #expect(Self.lines(stderr, message: "service recovered", service: "dashboard").isEmpty, "\(stderr.suffix(3000))")
        #expect(Self.lines(stderr, message: "service serving", service: "dashboard").isEmpty, "\(stderr.suffix(3000))")
        #expect(try await eventually(within: 60) { binary.stderr.contains("start-up done") }, "\(binary.stderr.suffix(2000))")
        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 60) == 0, "\(binary.stderr.suffix(2000))")
    }

    /// `bulwark doctor` says when the dashboard port is taken, and by which process (this test's).
    @Test func doctorNamesTheDashboardPortHolder() async throws {
        let folder = TemporaryFolder()
        let holder = try LoopbackListener()
        defer { holder.close() }
        let output = try await BinaryRunner.run(["doctor", "--dashboard-port", "\(holder.port)"], in: folder.path)
        #expect(output.status == 0, "a taken dashboard port is a warning: \(output.stdout)\(output.stderr)")
        #expect(
            output.stdout.contains("warn  dashboard port: 127.0.0.1:\(holder.port) is already in use by pid \(getpid())"),
            "\(output.stdout)")
        holder.close()
        let free = try await BinaryRunner.run(["doctor", "--dashboard-port", "\(holder.port)"], in: folder.path)
        #expect(free.stdout.contains("ok    dashboard port: 127.0.0.1:\(holder.port) is free"), "\(free.stdout)")
    }
}

/// A TCP listener on 127.0.0.1, on a port the kernel picks, held until closed: another process's port.
final class LoopbackListener: Sendable {
    private let fd: Mutex<Int32?>
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard fd >= 0, listening else {
            if fd >= 0 { Glibc.close(fd) }
            throw RunningBinary.Failure("no listening socket: errno \(errno)")
        }
        self.fd = Mutex(fd)
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Closes the socket once; later calls do nothing (the number may belong to another file by then).
    func close() {
        fd.withLock { fd in
            if let open = fd { Glibc.close(open) }
            fd = nil
        }
    }
}
