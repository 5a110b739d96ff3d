import Foundation
import TestSupport
import Testing

/// Runs the built `bulwark` binary (from the same build folder as the tests) and collects its output.
struct BinaryRunner {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binaryPath: String {
        let buildFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return buildFolder.appendingPathComponent("bulwark").path
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs `bulwark arguments…` in `directory` with exactly `environment` (plus PATH and HOME) to its end,
    /// at most two minutes; fails the test on a hang.
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> Output {
        let binary = try RunningBinary(arguments, in: directory, environment: environment)
        let status = try #require(binary.waitForExit(within: 120), "bulwark \(arguments.joined(separator: " ")) did not end within 120 s")
        // The output readers finish once the pipes close, just after the process ends.
        let deadline = Date().addingTimeInterval(10)
        while !binary.outputClosed, Date() < deadline { usleep(10_000) }
        return Output(status: status, stdout: binary.stdout, stderr: binary.stderr)
    }

    /// `run` on a thread of its own: the wait for the process (up to minutes for a benchmark) never holds
    /// one of the concurrency pool's few threads that every other test needs.
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) async throws -> Output {
        try await onDedicatedThread { try run(arguments, in: directory, environment: environment) }
    }
}
