import ArgumentParser
import Foundation
import Logging
import MarketClients
import Persistence
import Primitives
import Settings

/// `bulwark doctor`: checks that Bulwark can start here, one line per check, without trading.
struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the configuration and folders; exit 0 only when every check passes.")

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        var report = DoctorReport()
        let loaded: BulwarkConfiguration.Loaded
        do {
            loaded = try BulwarkConfiguration.load(options.inputs())
        } catch {
            for problem in error.problems { report.fail("configuration", problem.description) }
            report.print()
            throw ExitCode(64)
        }
        let configuration = loaded.configuration
        report.ok("configuration", summary(of: configuration))
        for warning in loaded.warnings { report.warn("configuration", warning) }

        for (name, path) in [("state folder", configuration.paths.stateDirectory), ("logs folder", configuration.paths.logsDirectory)] {
            do {
                let result = try PrivateDirectory.prepare(path)
                var detail = "\(path) writable, mode 0700"
                if result.created { detail += " (created)" }
                if let old = result.tightenedFrom { detail += " (tightened from \(PrivateDirectory.octal(old)))" }
                report.ok(name, detail)
            } catch {
                report.fail(name, error.description)
            }
        }
        if configuration.dashboardPort > 0 { checkDashboardPort(configuration.dashboardPort, into: &report) }
        let inspection = StateDoctor.inspect(directory: configuration.paths.stateDirectory)
        switch inspection.status {
        case .ok, .missing:
            if inspection.killSwitchEngaged {
                report.warn("state file", inspection.summary)
            } else {
                report.ok("state file", inspection.summary)
            }
        case .corrupt, .newerSchema:
            report.fail("state file", inspection.summary)
        }
        switch configuration.broker {
        case .embedded:
            report.ok("broker", "embedded paper exchange: no outside API to check")
        case .paper(let endpoints), .live(let endpoints):
            await checkAPIs(endpoints, into: &report)
        }
        report.print()
        if report.failed { throw ExitCode.failure }
    }

    /// Whether the dashboard can listen on its port, and who holds it when it cannot (a warning: the
    /// dashboard is supportive, Bulwark starts without it, but the port's holder would answer health checks).
    private func checkDashboardPort(_ port: Int, into report: inout DoctorReport) {
        let place = "127.0.0.1:\(port)"
        switch PortProbe.check(port: port) {
        case .free:
            report.ok("dashboard port", "\(place) is free")
        case .taken(let owner):
            let holder = owner.map { " by \($0)" } ?? " (by a process this user cannot see)"
            report.warn("dashboard port", "\(place) is already in use\(holder): the dashboard would not serve; free it or set DASHBOARD_PORT")
        case .refused(let why):
            report.warn("dashboard port", "\(place) \(why)")
        }
    }

    /// One line per endpoint of the compatibility check, each decoded through its contract.
    private func checkAPIs(_ endpoints: BulwarkConfiguration.Endpoints, into report: inout DoctorReport) async {
        var logger = Logger(label: "doctor")
        logger.logLevel = .critical  // the report says it all; nothing else reaches the terminal
        let transport = AsyncHTTPTransport()
        let connections = MarketConnections(
            endpoints: endpoints, transport: transport, clock: SystemClock(), logger: logger,
            policy: RetryPolicy(maxAttempts: 2, totalDeadline: .seconds(10), attemptTimeout: .seconds(5)))
        let result = await connections.checkCompatibility()
        try? await transport.shutdown()
        for line in result.lines {
            switch line.result {
            case .success(let detail): report.ok("api \(line.endpoint)", detail)
            case .failure(let error): report.fail("api \(line.endpoint)", "\(error.errorClass.rawValue): \(error.message)")
            }
        }
        if let reason = result.failureReason {
            report.fail("trading", "would not start: \(reason.rawValue)")
        }
    }

    private func summary(of configuration: BulwarkConfiguration) -> String {
        var parts = ["broker \(configuration.broker.label)"]
        switch configuration.broker {
        case .embedded:
            parts.append("embedded paper exchange")
        case .paper(let endpoints), .live(let endpoints):
            parts.append("\(endpoints.tradingBaseURL.absoluteString) key \(endpoints.keyID.masked)")
        }
        let port = configuration.dashboardPort == BulwarkConfiguration.anyDashboardPort ? "any free port" : "\(configuration.dashboardPort)"
        parts.append("dashboard \(configuration.dashboardPort == 0 ? "off" : "127.0.0.1:\(port)")")
        if !configuration.chaosModes.isEmpty {
            parts.append("chaos \(configuration.chaosModes.map(\.rawValue).joined(separator: ","))")
        }
        if let envFile = configuration.envFile { parts.append("from \(envFile)") }
        return parts.joined(separator: ", ")
    }
}

/// Lines of `ok` / `warn` / `fail`, printed in order.
struct DoctorReport {
    private var lines: [String] = []
    private(set) var failed = false

    mutating func ok(_ check: String, _ detail: String) { lines.append("ok    \(check): \(detail)") }
    mutating func warn(_ check: String, _ detail: String) { lines.append("warn  \(check): \(detail)") }
    mutating func fail(_ check: String, _ detail: String) {
        failed = true
        lines.append("fail  \(check): \(detail)")
    }

    func print() {
        for line in lines { Swift.print(line) }
    }
}
