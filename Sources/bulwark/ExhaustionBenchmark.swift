import ArgumentParser
import Benchmarks
import Foundation
import Primitives

/// `bulwark bench exhaustion`: a headless Bulwark trades on its embedded exchange while this process holds
/// thousands of idle and slow (slowloris) connections to its dashboard and its exchange. Prints orders per
/// minute, health, resident memory and how long the hostile connections lived, before, during and after,
/// and a verdict on each goal of issue 19: orders keep flowing, health stays OK, memory stays flat, idle
/// connections are closed within the idle timeout.
struct BenchExhaustion: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exhaustion",
        abstract: "Idle and slow connections to the dashboard and the exchange of a trading headless child; print orders, health, memory.")

    @Option(help: "Idle connections to each server.") var idle = 2000
    @Option(help: "Slow connections (a header byte every 500 ms) to each server.") var slow = 2000
    @Option(help: "Seconds of trading before, during and after the flood.") var seconds = 60
    @Option(help: "Seconds of trading before anything is measured: the start-up burst (the last 5 minutes of alerts) is worked off.")
    var warmup = 30

    /// Growth of resident memory over the second half of the flood above which memory is not flat.
    static let flatMemoryLimitKiB = 8 * 1024

    func validate() throws {
        guard (0...50_000).contains(idle), (0...50_000).contains(slow) else { throw ValidationError("--idle and --slow must be 0–50000") }
        guard (5...3600).contains(seconds) else { throw ValidationError("--seconds must be 5–3600") }
        guard (0...3600).contains(warmup) else { throw ValidationError("--warmup must be 0–3600") }
    }

    struct Window {
        var orders = 0
        var healthSamples = 0
        var healthOK = 0
        var dashboardAnswers = 0
        var slowestDashboardAnswer: Duration = .zero
        var residentKiB: [Int] = []
    }

    func run() async throws {
        let limits = DescriptorLimit.raiseSoftToHard()
        let needed = 2 * (idle + slow) + 64
        guard limits.soft >= needed else {
            Terminal.printError("bench exhaustion: needs \(needed) file descriptors here, the limit is \(limits.soft) (hard \(limits.hard)); use fewer --idle/--slow")
            throw ExitCode.failure
        }
        let folder = FileManager.default.currentDirectoryPath + "/state/bench-exhaustion-\(getpid())"
        do {
            try PrivateDirectory.prepare(folder)
        } catch {
            Terminal.printError("bench exhaustion: \(error.operatorText)")
            throw ExitCode.failure
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: TerminalOutputBenchmark.ownExecutable())
        child.arguments = ["run", "--headless"]
        child.currentDirectoryURL = URL(fileURLWithPath: folder)
        // Busy settings (every alert an entry, no cooldown, entries priced to fill, exits at the first tick's
        // move) so that positions keep turning over and orders keep flowing for as long as trading does; with
        // the default exits the guard's caps stop new entries after a couple of dozen fills.
        child.environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": folder, "DASHBOARD_PORT": "any",
            "MIN_COOLDOWN_MINUTES": "0", "UW_POLL_SECONDS": "1", "MIN_FLOW_PREMIUM_USD": "1", "MIN_ASK_SIDE_SHARE": "0.01",
            "ENTRY_SLIPPAGE_PCT": "0.01", "TAKE_PROFIT_PCT": "0.0001", "STOP_LOSS_PCT": "0.0001",
        ]
        let errors = Pipe()
        child.standardError = errors
        child.standardOutput = FileHandle.nullDevice
        child.standardInput = FileHandle.nullDevice
        let log = LockedBox("")
        errors.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            log.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try child.run()
        defer {
            if child.isRunning { kill(child.processIdentifier, SIGKILL) }
            errors.fileHandleForReading.readabilityHandler = nil
        }
        print("bench exhaustion: a headless child (pid \(child.processIdentifier), descriptor limit \(limits.soft)) trading on its embedded exchange")
        // Both servers bind a port the system chooses, read back from the child's log: no race for a free one.
        guard let exchangePort = await Self.waitForExchange(log: log, child: child),
            let dashboardPort = Self.port(in: log.withLock { $0 }, line: "dashboard listening")
        else {
            Terminal.printError("bench exhaustion: the child did not start trading within 60 s")
            throw ExitCode.failure
        }
        print("warm-up: \(warmup) s of trading, not measured (the start-up burst)")
        try? await Task.sleep(for: .seconds(warmup))
        let window = Duration.seconds(seconds)
        let before = await measure(for: window, folder: folder, child: child, dashboardPort: dashboardPort)
        print("flood: \(idle) idle and \(slow) slow connections to the dashboard (\(dashboardPort)) and to the exchange (\(exchangePort))")
        let flood = ConnectionFlood(targets: [
            .init(port: dashboardPort, idle: idle, slow: slow), .init(port: exchangePort, idle: idle, slow: slow),
        ])
        flood.start()
        let during = await measure(for: window, folder: folder, child: child, dashboardPort: dashboardPort)
        let figures = await flood.stop()
        let after = await measure(for: window, folder: folder, child: child, dashboardPort: dashboardPort)
        kill(child.processIdentifier, SIGTERM)
        let exited = await Self.waitForExit(child, within: .seconds(30))

        for (name, figures) in [("before", before), ("during", during), ("after", after)] {
            print(
                String(
                    format: "%@  orders %4d (%.1f/min)  health OK %d/%d  dashboard answered %d/%d, slowest %.2f s  resident %@",
                    name.padding(toLength: 6, withPad: " ", startingAt: 0), figures.orders, Double(figures.orders) * 60 / Double(seconds),
                    figures.healthOK, figures.healthSamples, figures.dashboardAnswers, figures.healthSamples,
                    figures.slowestDashboardAnswer.seconds, Self.memory(figures.residentKiB)))
        }
        print("connections   \(figures.opened) opened, \(figures.closedByServer) closed by the servers, \(figures.failed) failed, \(figures.openAtEnd) open at the end")
        print("idle lived    \(Self.quantiles(figures.idleLifetimes)) (from connect, backlog wait included)")
        print("slow lived    \(Self.quantiles(figures.slowLifetimes))")
        print("child exit    \(exited.map { "\($0)" } ?? "none within 30 s")")

        // The verdict, goal by goal.
        let flowing = during.orders > 0
        let healthy = during.healthSamples > 0 && during.healthOK == during.healthSamples
        // The servers fill up to their connection limits over the flood's first half (the ramp, bounded by
        // those limits); after that, resident memory must stay flat.
        let lastHalf = during.residentKiB.suffix(during.residentKiB.count / 2)
        let stepKiB = (lastHalf.first ?? 0) - (before.residentKiB.last ?? 0)
        let driftKiB = (lastHalf.last ?? 0) - (lastHalf.first ?? 0)
        let flat = lastHalf.count >= 2 && driftKiB < Self.flatMemoryLimitKiB
        let timeout = ConnectionLimits.standard.idleTimeout
        let idleP95 = Self.quantile(figures.idleLifetimes, 0.95)
        let closedInTime = idle == 0 || (idleP95.map { $0 <= timeout } ?? false)
        func mark(_ ok: Bool) -> String { ok ? "yes" : "NO " }
        print("goals")
        print(String(format: "  %@ orders kept flowing: %d during the flood, %d in the same time before it", mark(flowing), during.orders, before.orders))
        print("  \(mark(healthy)) health stayed OK: \(during.healthOK) of \(during.healthSamples) samples during the flood")
        print(
            String(
                format: "  %@ memory flat: %+.1f MiB over the flood's first half as the servers filled up (bounded by their connection limits), %+.1f MiB over its second half (limit %.0f)",
                mark(flat), Double(stepKiB) / 1024, Double(driftKiB) / 1024, Double(Self.flatMemoryLimitKiB) / 1024))
        print(
            String(
                format: "  %@ idle connections closed within the idle timeout (%.0f s): p95 %@ from connect", mark(closedInTime), timeout.seconds,
                idleP95.map { String(format: "%.1f s", $0.seconds) } ?? "-"))
        print("  \(mark(exited == 0)) the child stopped cleanly (exit 0)")
        if !(flowing && healthy && flat && closedInTime && exited == 0) { throw ExitCode.failure }
    }

    /// Trades for `window`, sampling health (state/health.json and the dashboard), resident memory and the
    /// orders filled (from logs/orders.jsonl) each second.
    private func measure(for window: Duration, folder: String, child: Process, dashboardPort: Int) async -> Window {
        var result = Window()
        let startOrders = InstanceFolder.filledOrders(in: folder)
        let end = ContinuousClock.now + window
        while ContinuousClock.now < end, child.isRunning {
            result.healthSamples += 1
            if InstanceFolder.overallHealth(in: folder) == "OK" { result.healthOK += 1 }
            let start = ContinuousClock.now
            if let status = await Self.get(port: dashboardPort, path: "/api/system/health"), status == 200 {
                result.dashboardAnswers += 1
                result.slowestDashboardAnswer = max(result.slowestDashboardAnswer, ContinuousClock.now - start)
            }
            if let kib = Self.residentKiB(child.processIdentifier) { result.residentKiB.append(kib) }
            try? await Task.sleep(until: start + .seconds(1))
        }
        result.orders = InstanceFolder.filledOrders(in: folder) - startOrders
        return result
    }

    private static func waitForExchange(log: LockedBox<String>, child: Process) async -> Int? {
        let end = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < end, child.isRunning {
            let text = log.withLock { $0 }
            if text.contains("start-up done"), text.contains("dashboard listening"),
                let port = port(in: text, line: "embedded paper exchange listening")
            {
                return port
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    private static func waitForExit(_ child: Process, within limit: Duration) async -> Int32? {
        let end = ContinuousClock.now + limit
        while child.isRunning, ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(50)) }
        return child.isRunning ? nil : child.terminationStatus
    }

    private static func residentKiB(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    private static func memory(_ samples: [Int]) -> String {
        guard let first = samples.first, let peak = samples.max(), let last = samples.last else { return "-" }
        return String(format: "%.1f→%.1f MiB (peak %.1f)", Double(first) / 1024, Double(last) / 1024, Double(peak) / 1024)
    }

    private static func quantile(_ values: [Duration], _ q: Double) -> Duration? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]
    }

    private static func quantiles(_ values: [Duration]) -> String {
        guard !values.isEmpty else { return "none closed" }
        let sorted = values.sorted()
        func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))].seconds }
        return String(format: "%d closed: p50 %.1f s, p95 %.1f s, max %.1f s", sorted.count, at(0.5), at(0.95), sorted.last!.seconds)
    }

    /// The port of the first `http://127.0.0.1:PORT` on a log line containing `text`.
    private static func port(in log: String, line text: String) -> Int? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains(text) }),
            let range = line.range(of: "http://127.0.0.1:")
        else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    /// A GET on a connection of its own, answered within 2 s; the status, or nil.
    private static func get(port: Int, path: String) async -> Int? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int?, Never>) in
            Thread {
                continuation.resume(returning: blockingGet(port: port, path: path))
            }.start()
        }
    }

    private static func blockingGet(port: Int, path: String) -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var time = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return nil }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 12 else { return nil }
        return Int(String(decoding: buffer[9..<12], as: UTF8.self))
    }
}
