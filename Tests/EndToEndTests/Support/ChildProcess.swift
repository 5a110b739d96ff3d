import Foundation
import Synchronization

/// A child process started with `posix_spawnp` and reaped with `waitpid`, for the terminal tests.
///
/// Not Foundation's `Process`, for two reasons. It reaps children on Dispatch's threads, which on Linux
/// are the same few threads Swift concurrency runs on, so a synchronous wait from a test can starve it.
/// And a child started from one of those threads inherits their blocked signal mask (SIGCHLD, SIGHUP,
/// SIGTERM…): a tmux server started that way never notices its pane's program ending and ignores
/// kill-server. Here the child starts with an empty mask and default handlers, stdin from /dev/null,
/// stdout and stderr to files (never pipes, which a daemon such as the tmux server would keep open), and
/// no other descriptor of the test process.
final class ChildProcess: Sendable {
    let pid: pid_t
    private let status = Mutex<Int32?>(nil)

    /// Starts `arguments` (looked up in PATH) with stdout and stderr appended to the given files.
    init(_ arguments: [String], stdout: String = "/dev/null", stderr: String = "/dev/null") throws {
        precondition(!arguments.isEmpty)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        _ = Self.closeFrom?(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw RunningBinary.Failure("cannot start \(arguments[0]): \(String(cString: strerror(result)))")
        }
        self.pid = pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which the Glibc module does not
    /// export: looked up at run time.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// The exit status (128 + n for a signal n), reaping the child if it has ended; nil while it runs.
    var exitStatus: Int32? {
        status.withLock { status in
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid {
                    let signal = raw & 0x7f
                    status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
                }
            }
            return status
        }
    }

    var isRunning: Bool { exitStatus == nil }

    /// Waits at most `seconds` (polling every 10 ms) for the child to end; its status, or nil.
    func wait(within seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let status = exitStatus { return status }
            guard Date() < deadline else { return nil }
            usleep(10_000)
        }
    }

    /// SIGTERM, then SIGKILL if it has not ended within `seconds`; reaps it.
    func stop(within seconds: Double = 5) {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        if wait(within: seconds) == nil {
            kill(pid, SIGKILL)
            _ = wait(within: 5)
        }
    }

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
