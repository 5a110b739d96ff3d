import Foundation
import TestSupport
import Testing

/// `bulwark ctl` and the control socket of a `bulwark run --headless`, on the built binary.
@Suite(.serialized)
struct ControlSocketTests {
    private static func json(_ path: String) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    private static func ctl(_ arguments: [String], in folder: String) async throws -> BinaryRunner.Output {
        try await offThread { try BinaryRunner.run(["ctl"] + arguments, in: folder) }
    }

    private static func startHeadless(in folder: String, environment: [String: String] = [:]) async throws -> RunningBinary {
        let binary = try RunningBinary(["run", "--headless"], in: folder, environment: environment)
        let listening = try await eventually(within: 60) { FileManager.default.fileExists(atPath: folder + "/state/control.sock") }
        try #require(listening, "no control socket within 60 s; stderr: \(binary.stderr.suffix(2000))")
        return binary
    }

    /// `ctl status --json` prints the snapshot, `ctl halt` exits 0 with HALTED written to the state file,
    /// `ctl quit` is not an action; after SIGTERM the socket is gone and `ctl` exits 3 with the HALT hint.
    @Test func statusHaltAndNoInstance() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let binary = try await Self.startHeadless(in: path)

        let status = try await Self.ctl(["status", "--json"], in: path)
        #expect(status.status == 0, "\(status.stderr)")
        let snapshot = (try? JSONSerialization.jsonObject(with: Data(status.stdout.utf8))) as? [String: Any] ?? [:]
        #expect(snapshot["broker"] as? String == "SIM", "\(status.stdout.prefix(500))")
        #expect(snapshot["services"] is [Any])

        let human = try await Self.ctl(["status"], in: path)
        #expect(human.status == 0)
        #expect(human.stdout.contains("trading "))
        #expect(human.stdout.contains("services "))

        let halt = try await Self.ctl(["halt"], in: path)
        #expect(halt.status == 0, "\(halt.stderr)")
        #expect(halt.stdout.contains("HALTED"))
        // The result came after the durable write: the file says HALTED already.
        let trading = Self.json(path + "/state/trading_state.json")["trading_state"] as? [String: Any]
        #expect(trading?["mode"] as? String == "HALTED")
        #expect((trading?["reason"] as? String)?.contains("ctl") == true)

        let refused = try await Self.ctl(["chaos", "latency", "sideways"], in: path)
        #expect(refused.status == 64)

        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 60) == 0, "\(binary.stderr.suffix(2000))")
        #expect(!FileManager.default.fileExists(atPath: path + "/state/control.sock"))
        let none = try await Self.ctl(["status"], in: path)
        #expect(none.status == 3)
        #expect(none.stderr.contains("no Bulwark is running with \(path)/state/"))
        #expect(none.stderr.contains("touch \(path)/state/HALT halts trading without it"))
    }

    /// A client of another user (not root) is refused by its peer credentials, even when the folder and
    /// the socket's modes would let it in.
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func otherUserRefused() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let binary = try await Self.startHeadless(in: path)
        // Open the way on purpose (a mistake an operator could make): only SO_PEERCRED stands in between.
        chmod(path, 0o711)
        chmod(path + "/state", 0o711)
        chmod(path + "/state/control.sock", 0o666)
        let nobody = try await offThread {
            try ChildProcess.run([
                "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", BinaryRunner.binaryPath, "ctl", "halt",
                "--state-dir", path + "/state",
            ])
        }
        #expect(nobody.status == 1, "\(nobody.stderr)")
        #expect(nobody.stderr.contains("belongs to another user"), "\(nobody.stderr)")
        let trading = Self.json(path + "/state/trading_state.json")["trading_state"] as? [String: Any]
        #expect(trading?["mode"] as? String != "HALTED" || (trading?["reason"] as? String)?.contains("ctl") != true)
        #expect(binary.stderr.contains("peer of another user refused"))
        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 60) == 0)
    }

    /// Random bytes, garbage lines, huge lines and hundreds of connect/disconnect cycles against a trading
    /// instance: it keeps trading, its health is unchanged, it does not crash, and its memory stays flat.
    @Test func fuzzingTheSocketChangesNothing() async throws {
        let folder = TemporaryFolder()
        let path = folder.path
        let binary = try await Self.startHeadless(in: path, environment: ["MIN_COOLDOWN_MINUTES": "0", "MIN_FLOW_PREMIUM_USD": "1"])
        let socketPath = path + "/state/control.sock"
        let trading = try await eventually(within: 90) { Self.journalLines(path) > 0 }
        #expect(trading, "no order within 90 s; stderr: \(binary.stderr.suffix(2000))")
        let healthBefore = Self.json(path + "/state/health.json")["status"] as? String
        // One round first, so the memory figure includes what a first use of the socket allocates.
        try await offThread { Fuzzer.round(socketPath, cycles: 50) }
        let rssBefore = try #require(Self.residentKilobytes(binary.pid))
        let journalBefore = Self.journalLines(path)

        for _ in 0..<4 {
            try await offThread { Fuzzer.round(socketPath, cycles: 100) }
        }

        #expect(kill(binary.pid, 0) == 0, "bulwark died: \(binary.stderr.suffix(2000))")
        let rssAfter = try #require(Self.residentKilobytes(binary.pid))
        #expect(rssAfter < rssBefore + 64 * 1024, "resident memory grew from \(rssBefore) kB to \(rssAfter) kB")
        let status = try await Self.ctl(["status", "--json"], in: path)
        #expect(status.status == 0, "\(status.stderr)")
        let kept = try await eventually(within: 90) { Self.journalLines(path) > journalBefore }
        #expect(kept, "no order after the fuzzing")
        #expect(Self.json(path + "/state/health.json")["status"] as? String == healthBefore)
        #expect(binary.stderr.contains("control client dropped"))

        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 60) == 0, "\(binary.stderr.suffix(2000))")
    }

    private static func journalLines(_ folder: String) -> Int {
        guard let text = try? String(contentsOfFile: folder + "/logs/orders.jsonl", encoding: .utf8) else { return 0 }
        return text.split(separator: "\n").count
    }

    private static func residentKilobytes(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }
}

/// Abuse of the control socket, each connection closed by the fuzzer.
enum Fuzzer {
    static func round(_ path: String, cycles: Int) {
        var generator = SystemRandomNumberGenerator()
        for cycle in 0..<cycles {
            guard let fd = connect(path) else { continue }
            defer { close(fd) }
            switch cycle % 6 {
            case 0:
                break  // connect and leave at once
            case 1:
                send(fd, (0..<Int.random(in: 1...4096, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            case 2:
                let garbage = (0..<Int.random(in: 1...200, using: &generator)).map { _ in UInt8.random(in: 32...126, using: &generator) }
                send(fd, garbage + [10])
            case 3:
                send(fd, [UInt8](repeating: UInt8(ascii: "{"), count: 200_000))
            case 4:
                send(fd, Array(#"{"type":"hello","version":1,"client":"attach","read_only":true}"#.utf8) + [10])
                readSome(fd)
            default:
                send(fd, Array(#"{"type":"hello","version":1,"client":"ctl","read_only":true}"#.utf8) + [10] + Array(#"{"type":"command","command":{"name":"halt"}}"#.utf8) + [10])
                readSome(fd)
            }
        }
    }

    private static func connect(_ path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8))
            raw[path.utf8.count] = 0
        }
        let result = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        if result != 0 {
            close(fd)
            return nil
        }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    private static func send(_ fd: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    private static func readSome(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        _ = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    }
}
