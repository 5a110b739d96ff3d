import Foundation
import TestSupport

/// A child process for the terminal tests: a `SpawnedProcess` (TestSupport) — posix_spawn with an empty
/// signal mask and default handlers, in a process group of its own that ends with the test (see there for
/// why not Foundation's `Process`) — with stdin from /dev/null and stdout and stderr appended to files
/// (never pipes, which a daemon such as the tmux server would keep open).
final class ChildProcess: Sendable {
    private let process: SpawnedProcess
    var pid: pid_t { process.pid }

    /// Starts `arguments` (looked up in PATH) with stdout and stderr appended to the given files.
    init(_ arguments: [String], stdout: String = "/dev/null", stderr: String = "/dev/null") throws {
        do {
            process = try SpawnedProcess(arguments, stdout: .file(stdout), stderr: .file(stderr))
        } catch {
            throw RunningBinary.Failure("\(error)")
        }
    }

    /// The exit status (128 + n for a signal n); nil while it runs.
    var exitStatus: Int32? { process.exitStatus }

    var isRunning: Bool { process.isRunning }

    /// Waits at most `seconds` for the child to end; its status, or nil.
    func wait(within seconds: Double) -> Int32? { process.wait(within: seconds) }

    /// SIGTERM to its group, then SIGKILL if it has not ended within `seconds`; reaps it.
    func stop(within seconds: Double = 5) { process.stop(within: seconds) }

    /// Runs a short command to its end (at most `seconds`): its status, stdout and stderr.
    static func run(_ arguments: [String], within seconds: Double = 30) throws -> (status: Int32, stdout: String, stderr: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-child-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let child = try ChildProcess(arguments, stdout: folder + "/out", stderr: folder + "/err")
        guard let status = child.wait(within: seconds) else {
            child.stop()
            throw RunningBinary.Failure("\(arguments.joined(separator: " ")) did not end within \(seconds) s")
        }
        let read = { (name: String) in (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? "" }
        return (status, read("out"), read("err"))
    }

    /// Runs a short command that must succeed; its stdout.
    @discardableResult
    static func output(of arguments: [String], within seconds: Double = 30) throws -> String {
        let result = try run(arguments, within: seconds)
        guard result.status == 0 else {
            throw RunningBinary.Failure("\(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)\(result.stdout)")
        }
        return result.stdout
    }
}
