import Foundation
import TestSupport
import Testing

/// The console used the way it is meant to be: over SSH. A throwaway `sshd` (Debian's openssh-server) on
/// loopback with its own host key and one authorized user key; `ssh -tt` runs `bulwark run` in a tmux pane.
@Suite(.serialized)
struct SSHConsoleTests {
    static let sshd = "/usr/sbin/sshd"

    /// Over `ssh -tt` the console draws its panes, `h` halts trading (header and state/health.json), and
    /// `q` then `s` (Stop Bulwark) ends the remote program and the SSH session with exit 0.
    @Test func consoleOverSSH() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.sshd),
            "\(Self.sshd) is missing: run `make deps` (it installs openssh-server and openssh-client)")
        try #require(Self.inPath("ssh") != nil && Self.inPath("ssh-keygen") != nil, "ssh or ssh-keygen is missing: run `make deps`")
        let keys = TemporaryFolder()
        let work = TemporaryFolder()
        let port = try Self.freePort()
        let server = try Self.startServer(in: keys.path, port: port)
        defer { server.stop() }
        let listening = try await eventually(within: 15) { Self.accepts(port: port) || !server.isRunning }
        try #require(listening && server.isRunning, "sshd is not listening on 127.0.0.1:\(port): \(server.log)")

        let user = try #require(getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) }, "no user name for uid \(getuid())")
        let binary = BinaryRunner.binaryPath
        try #require(FileManager.default.isExecutableFile(atPath: binary), "\(binary) is missing: build with `swift build --build-tests`")
        let remote = "cd \(TmuxSession.quote(work.path)) && TERM=xterm-256color LANG=C.UTF-8 \(TmuxSession.quote(binary)) run --dashboard-port 0"
        let terminal = try TmuxSession(
            [
                "ssh", "-tt", "-F", "/dev/null", "-i", keys.path + "/user_key", "-p", "\(port)",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "\(user)@127.0.0.1", remote,
            ], in: keys.path)

        do {
            try await terminal.waitFor("console with its panes over SSH", within: 60, ConsoleEndToEndTests.showsConsole)
            try await terminal.waitFor("ACTIVE in the header", within: 30) { $0.header.contains("ACTIVE") }
            try terminal.type("h")
            try await terminal.waitFor("HALTED in the header", within: 5) { $0.header.contains("HALTED") }
            let halted = try await eventually(within: 5) { ConsoleEndToEndTests.tradingMode(work.path) == "HALTED" }
            #expect(halted, "health.json trading: \(String(describing: SupervisionTests.health(work.path)?["trading"]))")

            try terminal.type("q")
            try await terminal.waitFor(text: "Quit the console?", within: 5)
            try terminal.type("s")
            let exit = try await terminal.waitForExit(within: 30)
            let after = try terminal.capture()
            #expect(exit == 0, "ssh exit: \(String(describing: exit))\(after)")
            try ConsoleEndToEndTests.expectRestored(terminal)
            #expect(server.log.contains("Accepted publickey for \(user) from 127.0.0.1"), "the session did not go through sshd: \(server.log)")
        } catch {
            Issue.record("sshd log: \(server.log)")
            throw error
        }
    }

    /// A private sshd: host key, user key, config and pid file in `folder`; foreground, logging to a file.
    /// A free loopback port for sshd (the kernel's choice, released at once). The one race left: sshd refuses
    /// `Port 0` ("Badly formatted port number"), so it cannot bind a port of the system's choice; a lost race
    /// shows as sshd not listening, named in the failure.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw RunningBinary.Failure("no free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func startServer(in folder: String, port: Int) throws -> Server {
        for name in ["host_key", "user_key"] {
            try ChildProcess.output(of: ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bulwark-test", "-f", folder + "/" + name])
        }
        try FileManager.default.copyItem(atPath: folder + "/user_key.pub", toPath: folder + "/authorized_keys")
        let configuration = """
            ListenAddress 127.0.0.1
            Port \(port)
            HostKey \(folder)/host_key
            PidFile \(folder)/sshd.pid
            AuthorizedKeysFile \(folder)/authorized_keys
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            UsePAM no
            StrictModes no
            PrintMotd no
            PrintLastLog no
            AcceptEnv LANG

            """
        try configuration.write(toFile: folder + "/sshd_config", atomically: true, encoding: .utf8)
        // Run as root, sshd insists on its privilege-separation folder.
        if getuid() == 0, !FileManager.default.fileExists(atPath: "/run/sshd") {
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        }
        return try Server(arguments: ["-D", "-e", "-f", folder + "/sshd_config"], folder: folder)
    }

    /// The sshd this test started, stopped by its pid; the pid file must name the same process.
    final class Server: Sendable {
        private let child: ChildProcess
        private let folder: String

        init(arguments: [String], folder: String) throws {
            self.folder = folder
            child = try ChildProcess([SSHConsoleTests.sshd] + arguments, stderr: folder + "/sshd.log")
        }

        var isRunning: Bool { child.isRunning }
        var log: String { (try? String(contentsOfFile: folder + "/sshd.log", encoding: .utf8)) ?? "(no log)" }

        func stop() {
            let recorded = (try? String(contentsOfFile: folder + "/sshd.pid", encoding: .utf8))
                .flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let recorded, recorded != child.pid {
                Issue.record("sshd.pid names \(recorded), not the sshd this test started (\(child.pid)); stopping \(child.pid) only")
            }
            child.stop()
        }
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// The full path of `tool` in PATH, if it is there.
    static func inPath(_ tool: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
