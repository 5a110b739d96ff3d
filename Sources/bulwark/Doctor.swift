import ArgumentParser
import Foundation
import TradingCore

/// `bulwark doctor`: checks that Bulwark can start here, one line per check, without trading.
struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the configuration and folders; exit 0 only when every check passes.")

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        var report = DoctorReport()
        let loaded: Configuration.Loaded
        do {
            loaded = try Configuration.load(options.inputs())
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
        report.print()
        if report.failed { throw ExitCode.failure }
    }

    private func summary(of configuration: Configuration) -> String {
        var parts = ["broker \(configuration.broker.label)"]
        switch configuration.broker {
        case .embedded:
            parts.append("embedded paper exchange")
        case .paper(let endpoints), .live(let endpoints):
            parts.append("\(endpoints.tradingBaseURL.absoluteString) key \(endpoints.keyID.masked)")
        }
        parts.append("dashboard \(configuration.dashboardPort == 0 ? "off" : "127.0.0.1:\(configuration.dashboardPort)")")
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
