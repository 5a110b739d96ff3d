import Foundation
import Testing

extension RunningBinary {
    /// The port of the first `http://127.0.0.1:PORT` on a log line (stderr) containing `text`, waiting at
    /// most `seconds` for it: how a test learns the port a server of the binary was given with port 0
    /// ("dashboard listening", "embedded paper exchange listening").
    func boundPort(logLine text: String, within seconds: Double = 60) async throws -> Int {
        let found = try await eventually(within: seconds) { [self] in Self.port(in: stderr, line: text) != nil || !isRunningNow }
        guard found, let port = Self.port(in: stderr, line: text) else {
            throw Failure("no log line \"\(text)\" with an address within \(seconds) s; stderr: \(stderr.suffix(1500))")
        }
        return port
    }

    /// The dashboard's port, when started with `--dashboard-port any` (or `DASHBOARD_PORT=any`).
    func dashboardPort(within seconds: Double = 60) async throws -> Int {
        try await boundPort(logLine: "dashboard listening", within: seconds)
    }

    static func port(in log: String, line text: String) -> Int? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains(text) }),
            let range = line.range(of: "http://127.0.0.1:")
        else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }
}
