import Foundation
import TestSupport
import Testing

/// The test runner's children: their own process group, ended with everything they started, and an
/// empty signal mask even when started from Swift concurrency's threads.
struct SpawnedProcessTests {
    /// A process's group id and state letter, from /proc/PID/stat; nil once it is gone.
    private static func groupAndState(_ pid: pid_t) -> (group: pid_t, state: Character)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 2, let state = fields[0].first, let group = pid_t(fields[2]) else { return nil }
        return (group, state)
    }

    /// Gone, or a zombie that nobody has reaped yet (it runs nothing).
    private static func ended(_ pid: pid_t) -> Bool {
        guard let found = groupAndState(pid) else { return true }
        return found.state == "Z" || found.state == "X"
    }

    /// A child started by the runner leads a process group of its own (its grandchild in it too), and
    /// after `stop` both are gone — the grandchild, deaf to SIGTERM, by the SIGKILL that follows.
    @Test func childLeadsItsOwnGroupAndEndsWithIt() async throws {
        let folder = TemporaryFolder()
        let pidFile = folder.path + "/grandchild"
        let child = try SpawnedProcess(
            ["/bin/sh", "-c", "(trap '' TERM; exec sleep 300) & echo $! > \"$0\"; wait", pidFile])
        defer { child.stop(within: 1) }
        let written = try await eventually(within: 20) {
            (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) } != nil
        }
        try #require(written, "the child never wrote its grandchild's pid")
        let grandchild = try #require(pid_t(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.groupAndState(child.pid)?.group == child.pid, "the child does not lead a group of its own")
        #expect(Self.groupAndState(grandchild)?.group == child.pid, "the grandchild is not in the child's group")
        #expect(child.pid != getpgrp())

        child.stop(within: 1)
        #expect(child.exitStatus != nil)
        let gone = try await eventually(within: 20) { Self.ended(grandchild) }
        #expect(gone, "the grandchild \(grandchild) outlived the runner's stop")
    }

    /// A child started from an async test (a thread of the concurrency pool, whose signals Dispatch
    /// blocks) starts with no signal blocked and no standard signal (1–31) ignored. (glibc's own signals
    /// 32 and 33 are outside `sigfillset`, so their disposition is inherited as it is.)
    @Test func childSignalMaskIsEmpty() async throws {
        let folder = TemporaryFolder()
        let child = try SpawnedProcess(
            ["/bin/sh", "-c", "exec grep -E '^Sig(Blk|Ign):' /proc/self/status"], stdout: .file(folder.path + "/out"))
        let status = try await offThread { child.wait(within: 30) }
        #expect(status == 0)
        let lines = try String(contentsOfFile: folder.path + "/out", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let masks = Dictionary(uniqueKeysWithValues: lines.compactMap { line -> (String, UInt64)? in
            let parts = line.split(separator: ":")
            guard parts.count == 2, let value = UInt64(parts[1].trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
            return (String(parts[0]), value)
        })
        #expect(masks["SigBlk"] == 0, "\(lines)")
        #expect(masks["SigIgn"].map { $0 & 0x7fff_ffff } == 0, "\(lines)")
    }

    /// The built binary run by `RunningBinary` leads a process group of its own, which is gone once the
    /// runner has stopped it.
    @Test func runningBinaryHasItsOwnGroup() async throws {
        let folder = TemporaryFolder()
        let binary = try RunningBinary(["run", "--headless", "--dashboard-port", "0"], in: folder.path)
        #expect(try await eventually(within: 60) { binary.stderr.contains("start-up done") }, "\(binary.stderr.suffix(1500))")
        #expect(Self.groupAndState(binary.pid)?.group == binary.pid)
        binary.stop(within: 30)
        #expect(binary.waitForExit(within: 5) != nil)
    }
}
