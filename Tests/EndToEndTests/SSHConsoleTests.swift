import Foundation
import TestSupport
import Testing

/// The console used the way it is meant to be: over SSH. A throwaway `sshd` (Debian's openssh-server) with
/// its own host key and one authorized user key, started by `ssh` itself in inetd mode (`sshd -i` as the
/// `ProxyCommand`, speaking over a pipe): no port to find, hold or race for, and it ends with the session.
/// `ssh -tt` runs `bulwark run` in a tmux pane.
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
        try Self.prepareServer(in: keys.path)
        let log = { (try? String(contentsOfFile: keys.path + "/sshd.log", encoding: .utf8)) ?? "(no sshd log)" }

        let user = try #require(getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) }, "no user name for uid \(getuid())")
        let binary = BinaryRunner.binaryPath
        try #require(FileManager.default.isExecutableFile(atPath: binary), "\(binary) is missing: build with `swift build --build-tests`")
        let remote = "cd \(TmuxSession.quote(work.path)) && TERM=xterm-256color LANG=C.UTF-8 \(TmuxSession.quote(binary)) run --dashboard-port 0"
        let proxy = "\(Self.sshd) -i -f \(TmuxSession.quote(keys.path + "/sshd_config")) -E \(TmuxSession.quote(keys.path + "/sshd.log"))"
        let terminal = try TmuxSession(
            [
                "ssh", "-tt", "-F", "/dev/null", "-i", keys.path + "/user_key", "-o", "ProxyCommand=\(proxy)",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "\(user)@bulwark-test", remote,
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
            #expect(log().contains("Accepted publickey for \(user)"), "the session did not go through sshd: \(log())")
        } catch {
            Issue.record("sshd log: \(log())")
            throw error
        }
    }

    /// A private sshd's files in `folder`: host key, user key (authorized), config.
    static func prepareServer(in folder: String) throws {
        for name in ["host_key", "user_key"] {
            try ChildProcess.output(of: ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bulwark-test", "-f", folder + "/" + name])
        }
        try FileManager.default.copyItem(atPath: folder + "/user_key.pub", toPath: folder + "/authorized_keys")
        let configuration = """
            HostKey \(folder)/host_key
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
    }

    /// The full path of `tool` in PATH, if it is there.
    static func inPath(_ tool: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
