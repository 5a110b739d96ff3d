import Foundation
import TestSupport
import Testing

/// The built `bulwark` binary running in the background: its output collected as it comes, signals sent
/// to it, its exit awaited with a deadline. Blocking waits happen on threads of their own (see `offThread`).
/// It runs as a `SpawnedProcess` (TestSupport): an empty signal mask, a process group of its own, ended
/// (with anything it started) when this is released or the test process dies.
final class RunningBinary: @unchecked Sendable {
    private let process: SpawnedProcess
    private let lock = NSLock()
    private var output = ""
    private var errors = ""
    private var closedPipes = 0
    private let changed = DispatchSemaphore(value: 0)

    /// `descriptorLimit` runs it under `ulimit -n` (soft and hard) of that many open files.
    init(_ arguments: [String], in directory: String, environment: [String: String] = [:], descriptorLimit: Int? = nil) throws {
        let path = BinaryRunner.binaryPath
        try #require(FileManager.default.isExecutableFile(atPath: path), "\(path) is missing: build with `swift build --build-tests`")
        let command =
            descriptorLimit.map { ["/bin/sh", "-c", "ulimit -n \($0) && exec \"$0\" \"$@\"", path] + arguments } ?? [path] + arguments
        var env = environment
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        env["HOME"] = directory
        let out = try Self.pipe()
        let err = try Self.pipe()
        defer {
            close(out.writer)
            close(err.writer)
        }
        do {
            process = try SpawnedProcess(
                command, directory: directory, environment: env, stdout: .descriptor(out.writer), stderr: .descriptor(err.writer))
        } catch {
            close(out.reader)
            close(err.reader)
            throw Failure("\(error)")
        }
        collect(FileHandle(fileDescriptor: out.reader, closeOnDealloc: true)) { $0.output += $1 }
        collect(FileHandle(fileDescriptor: err.reader, closeOnDealloc: true)) { $0.errors += $1 }
    }

    /// A pipe whose ends close on exec (so no other child holds them); the child gets the write end by dup2.
    private static func pipe() throws -> (reader: Int32, writer: Int32) {
        let fds = try closeOnExecPipe()
        return (fds[0], fds[1])
    }

    private func collect(_ handle: FileHandle, into append: @escaping @Sendable (RunningBinary, String) -> Void) {
        Thread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty {
                    lock.withLock { closedPipes += 1 }
                    changed.signal()
                    break
                }
                lock.withLock { append(self, String(decoding: data, as: UTF8.self)) }
                changed.signal()
            }
        }.start()
    }

    var stdout: String { lock.withLock { output } }
    /// Both output pipes reached their end (everything the process wrote has been read).
    var outputClosed: Bool { lock.withLock { closedPipes == 2 } }
    var stderr: String { lock.withLock { errors } }

    /// Waits (at most `seconds`) for a line of stdout containing `text`, and returns it.
    func line(containing text: String, within seconds: Double) async throws -> String {
        try await offThread { [self] in
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                if let line = stdout.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
                guard process.isRunning || !outputClosed, Date() < deadline else {
                    throw Failure("no line containing \"\(text)\" within \(seconds) s; stdout: \(stdout) stderr: \(stderr)")
                }
                _ = changed.wait(timeout: .now() + 0.5)
            }
        }
    }

    func send(_ signal: Int32) {
        process.send(signal)
    }

    var pid: Int32 { process.pid }

    /// The process has not ended yet.
    var isRunningNow: Bool { process.isRunning }

    /// Waits (at most `seconds`) for the process to end; its exit status, or nil if it is still running.
    func exitStatus(within seconds: Double) async throws -> Int32? {
        try await offThread { [self] in waitForExit(within: seconds) }
    }

    /// The blocking form of `exitStatus(within:)`, for synchronous tests.
    func waitForExit(within seconds: Double) -> Int32? {
        process.wait(within: seconds)
    }

    /// Ends the process and its group (SIGTERM, then SIGKILL after `seconds`).
    func stop(within seconds: Double = 5) {
        process.stop(within: seconds)
    }

    /// Ends the process group when a test lets go of it, whether or not the test stopped it.
    deinit {
        process.stop(within: 0)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// Runs blocking work on a thread of its own, so it never holds one of the few threads that Swift's
/// concurrency and Dispatch share on Linux (in-process servers of other tests run there).
func offThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// Polls `condition` every `interval` (200 ms by default) until it holds or `seconds` pass.
func eventually(
    within seconds: Double, every interval: Duration = .milliseconds(200), _ condition: @escaping @Sendable () -> Bool
) async throws -> Bool {
    try await offThread {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { return false }
            usleep(UInt32(interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000))
        }
        return true
    }
}

/// `curl` as a user would run it: the body and the status code.
enum Curl {
    struct Answer: Sendable {
        var status: Int
        var body: String
        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        }
    }

    static func run(_ arguments: [String]) async throws -> Answer {
        try await offThread { try runBlocking(arguments) }
    }

    /// The blocking form of `run`, for conditions polled by `eventually`.
    static func runBlocking(_ arguments: [String]) throws -> Answer {
        let result = try ChildProcess.run(["curl", "-sS", "--max-time", "30", "-w", "\n%{http_code}"] + arguments, within: 40)
        guard result.status == 0 else { throw RunningBinary.Failure("curl \(arguments) exited \(result.status)") }
        let data = Data(result.stdout.utf8)
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.removeLast()) ?? 0
        return Answer(status: status, body: lines.joined(separator: "\n"))
    }
}
