import Foundation
import Synchronization

/// A child process for tests, started with `posix_spawn` in a process group of its own, which ends with
/// the test — the one runner under the end-to-end tests' `RunningBinary`, `BinaryRunner` and `ChildProcess`.
///
/// Why not Foundation's `Process`: started from a thread of Swift's concurrency pool it hands the child
/// that thread's blocked signal mask (SIGCHLD, SIGHUP, SIGTERM…), so a child may never see SIGTERM; and it
/// cannot start a process group. Why not swift-subprocess: it offers neither a parent-death guard nor a
/// way to keep a group's grandchildren from outliving the test, and its async API would push every
/// synchronous caller (`eventually`, tmux polling) onto the pool. Here:
/// - the child starts with an empty signal mask and default handlers for every signal
///   (`POSIX_SPAWN_SETSIGMASK`, `POSIX_SPAWN_SETSIGDEF`);
/// - it leads a process group of its own (`POSIX_SPAWN_SETPGROUP`), and `stop` ends the whole group —
///   SIGTERM, then SIGKILL after a deadline — so grandchildren go with it (a daemon that calls `setsid`,
///   such as a tmux server, leaves the group and is ended by its own harness);
/// - a watchdog ends the group if the test process dies first (killed, crashed): a `/bin/sh` in the
///   group that ignores SIGTERM and blocks reading a pipe whose only writer is this process
///   (close-on-exec, so no child holds it); at its end of file it sends SIGKILL to the group. It also
///   keeps the group id in use until `stop` (or `deinit`) kills the group, so that signal can never reach
///   a stranger that was handed the same number (pids wrap at 32,768 here). `PR_SET_PDEATHSIG` would need
///   code in the child between fork and exec, which `posix_spawn` does not run, and would reach the child
///   only, not its children;
/// - stdin, stdout and stderr are what the caller says; no other descriptor of the test process is
///   inherited.
///
/// A thread per child waits for its exit (`waitpid`), so the status is never lost to a second reaper.
public final class SpawnedProcess: Sendable {
    /// Where one of the child's standard descriptors goes.
    public enum Stream: Sendable {
        case null
        /// A file opened for writing (created 0600, appended to).
        case file(String)
        /// A descriptor of this process, duplicated into the child (the caller closes its own copy).
        case descriptor(Int32)
    }

    /// The child's pid, which is also its process group id.
    public let pid: pid_t
    private let watchdog: (pid: pid_t, writer: Int32)?
    private let exit = Exit()
    private let watchdogDone = Mutex(false)

    /// The status, set by the reaping thread (which holds this and not the process, so `deinit` can run
    /// while the child does).
    private final class Exit: Sendable {
        let status = Mutex<Int32?>(nil)
        let ended = DispatchSemaphore(value: 0)

        func reap(_ pid: pid_t) {
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1, errno == EINTR {}
            let signal = raw & 0x7f
            status.withLock { $0 = signal == 0 ? (raw >> 8) & 0xff : 128 + signal }
            ended.signal()
        }
    }

    /// Starts `arguments` (the first looked up in PATH when it has no slash) in `directory`, with exactly
    /// `environment` (nil: this process's), and the given standard streams. `guarded` adds the watchdog.
    public init(
        _ arguments: [String], directory: String? = nil, environment: [String: String]? = nil,
        stdin: Stream = .null, stdout: Stream = .null, stderr: Stream = .null, guarded: Bool = true
    ) throws {
        precondition(!arguments.isEmpty)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .null: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path): posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            case .descriptor(let fd): posix_spawn_file_actions_adddup2(&actions, fd, target)
            }
        }
        _ = Self.closeFrom?(&actions, 3)
        if let directory {
            guard let chdir = Self.addChdir else { throw SpawnError("this C library cannot set a child's folder") }
            _ = chdir(&actions, directory)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }

        let pid = try Self.spawn(arguments[0], actions: &actions, group: 0, argv: argv, envp: envp)
        self.pid = pid
        // Fails only if the child and its whole group have already ended: then there is nothing to guard.
        watchdog = guarded ? try? Self.startWatchdog(group: pid) : nil
        Thread { [exit] in exit.reap(pid) }.start()
    }

    /// The exit status (128 + n for a signal n); nil while the child runs.
    public var exitStatus: Int32? { exit.status.withLock { $0 } }

    public var isRunning: Bool { exitStatus == nil }

    /// Waits at most `seconds` for the child to end; its status, or nil.
    public func wait(within seconds: Double) -> Int32? {
        if let status = exitStatus { return status }
        guard exit.ended.wait(timeout: .now() + seconds) == .success else { return nil }
        exit.ended.signal()  // for the next waiter
        return exitStatus
    }

    /// Sends `signal` to the child (not its group).
    public func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Ends the whole group: SIGTERM, then SIGKILL once the child has not ended within `seconds` (and in
    /// any case, for members that outlived it); the child and the watchdog are reaped.
    public func stop(within seconds: Double = 5) {
        if isRunning {
            killGroup(SIGTERM)
            _ = wait(within: seconds)
        }
        killGroup(SIGKILL)
        _ = wait(within: 5)
        endWatchdog()
    }

    deinit {
        killGroup(SIGKILL)
        endWatchdog()
    }

    /// Signals the group while its id is surely ours: the child not yet reaped, or the watchdog (a member)
    /// not yet ended.
    private func killGroup(_ signal: Int32) {
        let pinned = watchdog != nil ? !watchdogDone.withLock { $0 } : isRunning
        if pinned { kill(-pid, signal) }
    }

    private func endWatchdog() {
        guard let watchdog, !watchdogDone.withLock({ done in defer { done = true }; return done }) else { return }
        kill(watchdog.pid, SIGKILL)  // in case the group was not killed (its id no longer ours)
        close(watchdog.writer)
        var raw: Int32 = 0
        while waitpid(watchdog.pid, &raw, 0) == -1, errno == EINTR {}
    }

    /// A `/bin/sh` in `group`, deaf to SIGTERM, SIGINT and SIGHUP, that sends SIGKILL to the group once the
    /// pipe it reads reaches its end, i.e. once this process is gone; the write end stays here, close-on-exec.
    private static func startWatchdog(group: pid_t) throws -> (pid: pid_t, writer: Int32) {
        let fds = try closeOnExecPipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        _ = closeFrom?(&actions, 3)
        let script = "trap '' TERM INT HUP; while read -r line; do :; done; kill -s KILL -- -\"$1\""
        let words: [String] = ["/bin/sh", "-c", script, "bulwark-test-watchdog", "\(group)"]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        do {
            let pid = try spawn("/bin/sh", actions: &actions, group: group, argv: argv, envp: nil)
            close(fds[0])
            return (pid, fds[1])
        } catch {
            close(fds[0])
            close(fds[1])
            throw error
        }
    }

    private static func spawn(
        _ program: String, actions: inout posix_spawn_file_actions_t, group: pid_t, argv: [UnsafeMutablePointer<CChar>?],
        envp: [UnsafeMutablePointer<CChar>?]?
    ) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, group)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        var pid = pid_t()
        let result = envp.map { envp in posix_spawnp(&pid, program, &actions, &attributes, argv, envp) }
            ?? posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
        guard result == 0 else { throw SpawnError("cannot start \(program): \(String(cString: strerror(result)))") }
        return pid
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later) and `…_addchdir_np` (2.29 and
    /// later), which the Glibc module does not export: looked up at run time.
    private static let closeFrom: CloseFrom? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()
}

/// A pipe (reader, writer) whose ends close on exec, so no child holds them unless given one by dup2.
public func closeOnExecPipe() throws -> [Int32] {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw SpawnError("no pipe: errno \(errno)") }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return fds
}

/// A child process could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
