import ControlPlane
import Engine
import Foundation
import Logging
import Primitives
import TestSupport
import Testing
import TradingModel

/// The control server over a real Unix socket in a temporary folder.
@Suite(.serialized)
struct ServerTests {
    /// A client's hello gets the server's hello, a snapshot, then every event after it in sequence.
    @Test func helloSnapshotThenEventsInSequence() async throws {
        let fixture = try ServerFixture()
        defer { Task { await fixture.stop() } }
        fixture.bus.publish(.tradingState(TradingState(mode: .halted, reason: "start", actor: .system, since: fixture.clock.now)))
        let client = try RawClient(fixture.socketPath)
        client.hello()
        let hello = RawClient.object(try await client.nextLine())
        #expect(hello["type"] as? String == "hello")
        #expect(hello["version"] as? Int == 1)
        #expect(hello["pid"] as? Int == Int(getpid()))
        #expect(hello["broker"] as? String == "SIM")
        let snapshotLine = try await client.nextLine()
        #expect(RawClient.type(of: snapshotLine) == "snapshot")
        let snapshot = try #require(RawClient.object(snapshotLine)["snapshot"] as? [String: Any])
        var expected = (snapshot["sequence"] as? UInt64 ?? 0) + 1
        for index in 0..<50 {
            fixture.bus.publish(.log(LogLine(level: .warning, label: "test", message: "event \(index)")))
        }
        var seen = 0
        while seen < 50 {
            let line = try #require(try await client.nextLine(), "no event after \(seen)")
            #expect(RawClient.type(of: line) == "event")
            let event = try #require(RawClient.object(line)["event"] as? [String: Any])
            let sequence = event["sequence"] as? UInt64 ?? 0
            #expect(sequence == expected, "event \(sequence) after \(expected - 1)")
            expected = sequence + 1
            if line.contains("event ") { seen += 1 }
        }
        #expect(fixture.log.contains("control client connected"))
    }

    /// A command goes to the handler with the client's kind and peer, and its result comes back to `send`.
    @Test func commandRoundTrip() async throws {
        let fixture = try ServerFixture()
        defer { Task { await fixture.stop() } }
        let client = try await ControlClient.connect(socketPath: fixture.socketPath, client: "ctl", readOnly: false)
        defer { client.close() }
        #expect(client.server.pid == getpid())
        let result = try await client.send(.chaos(.latency, on: true))
        #expect(result.accepted)
        #expect(result.command == .chaos(.latency, on: true))
        #expect(result.actor == CommandActor(kind: .ctl, detail: "uid \(getuid()) pid \(getpid())"))
        let second = try await client.send(.halt)
        #expect(second.command == .halt)
        #expect(fixture.received.value == [.chaos(.latency, on: true), .halt])
        var iterator = client.messages.makeAsyncIterator()
        guard case .snapshot(let snapshot) = await iterator.next() else {
            Issue.record("the first message is not a snapshot")
            return
        }
        #expect(snapshot.broker == "SIM")
    }

    /// Every command is handed to the core's queue as it arrives (the core keeps that order and carries
    /// them out one by one); a halt is answered at once, even while the same client's resume is still
    /// being carried out.
    @Test func haltNeverWaitsBehindAResume() async throws {
        let fixture = try ServerFixture()
        defer { Task { await fixture.stop() } }
        fixture.resumeGate.value = false
        let client = try await ControlClient.connect(socketPath: fixture.socketPath, client: "attach", readOnly: false)
        defer { client.close() }
        let resume = Task { try await client.send(.resume) }
        #expect(await fixture.eventually { fixture.received.value == [.resume] })
        let chaos = Task { try await client.send(.chaos(.latency, on: true)) }
        let halt = try await client.send(.halt)
        #expect(halt.command == .halt)
        // The resume is still held; the halt was answered anyway.
        #expect(fixture.received.value.first == .resume && fixture.received.value.contains(.halt))
        #expect(!fixture.resumeGate.value)
        fixture.resumeGate.value = true
        #expect(try await resume.value.command == .resume)
        #expect(try await chaos.value.command == .chaos(.latency, on: true))
        #expect(Set(fixture.received.value.map(\.description)) == ["resume", "halt", "chaos latency on"])
    }

    /// A session cannot pile up commands without bound: beyond 64 waiting for an answer, more are refused
    /// (a halt still goes through).
    @Test func commandFloodIsBounded() async throws {
        let fixture = try ServerFixture()
        defer { Task { await fixture.stop() } }
        fixture.resumeGate.value = false
        let client = try RawClient(fixture.socketPath)
        client.hello()
        var flood = ""
        for tag in 1...70 { flood += #"{"type":"command","tag":\#(tag),"command":{"name":"resume"}}"# + "\n" }
        flood += #"{"type":"command","tag":99,"command":{"name":"halt"}}"# + "\n"
        client.write(flood)
        var refused = 0
        var haltAnswered = false
        while refused < 6 || !haltAnswered {
            let line = try #require(try await client.nextLine(), "refused \(refused), halt answered \(haltAnswered)")
            let object = RawClient.object(line)
            guard object["type"] as? String == "result" else { continue }
            if object["tag"] as? Int == 99 { haltAnswered = true }
            if line.contains("too many commands") { refused += 1 }
        }
        #expect(refused == 6)
        fixture.resumeGate.value = true
    }

    /// A read-only session may look but not change: its changing commands are refused by the server
    /// (the handler never hears them), and `quit` is refused for every session.
    @Test func readOnlyAndQuitRefused() async throws {
        let fixture = try ServerFixture()
        defer { Task { await fixture.stop() } }
        let viewer = try await ControlClient.connect(socketPath: fixture.socketPath, client: "attach", readOnly: true)
        defer { viewer.close() }
        for command: ControlCommand in [.halt, .resume, .flattenAll, .chaos(.latency, on: true)] {
            let result = try await viewer.send(command)
            #expect(!result.accepted)
            #expect(result.message.contains("read-only"))
        }
        let operatorClient = try await ControlClient.connect(socketPath: fixture.socketPath, client: "attach", readOnly: false)
        defer { operatorClient.close() }
        let quit = try await operatorClient.send(.quit)
        #expect(!quit.accepted)
        #expect(quit.message.contains("systemctl stop or SIGTERM"))
        #expect(fixture.received.value.isEmpty)
        #expect(fixture.log.contains("control command refused"))
    }

    /// Bad input gets one error line and the connection closed: another version, invalid JSON, an unknown
    /// message, a command before hello, and a line of 64 KiB + 1.
    @Test func badInputIsAnsweredAndClosed() async throws {
        let fixture = try ServerFixture()
        defer { Task { await fixture.stop() } }
        let oversized = String(repeating: "x", count: ControlProtocol.maximumLineBytes + 1) + "\n"
        let cases: [(String, String)] = [
            (#"{"type":"hello","version":2,"client":"ctl","read_only":false}"# + "\n", "protocol version 2 not supported; this Bulwark speaks 1"),
            ("{\"type\":\"hello\",\n", "JSON"),
            (#"{"type":"subscribe"}"# + "\n", "unknown message type"),
            (#"{"type":"command","command":{"name":"halt"}}"# + "\n", "expected a hello first"),
            (oversized, "line longer than 65536 bytes"),
        ]
        for (input, expected) in cases {
            let client = try RawClient(fixture.socketPath)
            client.write(input)
            let line = try await client.nextLine()
            #expect(RawClient.type(of: line) == "error", "\(input.prefix(60)): \(line ?? "nothing")")
            #expect((RawClient.object(line)["message"] as? String)?.contains(expected) == true, "\(line ?? "nothing")")
            #expect(try await client.endsAsync(), "the connection stays open after \(input.prefix(60))")
        }
        // And the server still serves.
        let client = try await ControlClient.connect(socketPath: fixture.socketPath, client: "ctl", readOnly: false)
        #expect(try await client.send(.resume).accepted)
        client.close()
    }

    /// An unknown command inside a well-formed command message is bad input too.
    @Test func unknownCommandAfterHello() async throws {
        let fixture = try ServerFixture()
        defer { Task { await fixture.stop() } }
        let client = try RawClient(fixture.socketPath)
        client.hello()
        client.write(#"{"type":"command","command":{"name":"explode"}}"# + "\n")
        var last: String?
        while let line = try await client.nextLine() { last = line }
        #expect(RawClient.type(of: last) == "error")
        #expect(last?.contains("unknown command") == true)
    }

    /// A client that says nothing is dropped when its hello time is up.
    @Test func silentClientDropped() async throws {
        var options = ControlServer.Options()
        options.helloTimeout = .milliseconds(200)
        let fixture = try ServerFixture(options: options)
        defer { Task { await fixture.stop() } }
        let client = try RawClient(fixture.socketPath)
        let line = try await client.nextLine()
        #expect(line?.contains("no hello within") == true)
        #expect(try await client.endsAsync())
    }

    /// Sixteen clients are served; the seventeenth gets an error line and is closed; when one leaves, a
    /// new one is served again.
    @Test func seventeenthClientRefused() async throws {
        let fixture = try ServerFixture()
        defer { Task { await fixture.stop() } }
        var clients: [RawClient] = []
        for _ in 0..<16 {
            let client = try RawClient(fixture.socketPath)
            client.hello()
            #expect(RawClient.type(of: try await client.nextLine()) == "hello")
            clients.append(client)
        }
        let extra = try RawClient(fixture.socketPath)
        let refusal = try await extra.nextLine()
        #expect(RawClient.type(of: refusal) == "error")
        #expect(refusal?.contains("too many clients") == true)
        #expect(try await extra.endsAsync())
        clients.removeLast()
        // The server notices the departure on its next poll; a new client is then admitted.
        var admitted = false
        for _ in 0..<100 where !admitted {
            let again = try RawClient(fixture.socketPath)
            again.hello()
            admitted = RawClient.type(of: try await again.nextLine()) == "hello"
            if admitted { clients.append(again) }
        }
        #expect(admitted)
        #expect(fixture.log.contains("too many clients"))
    }

    /// A client that never reads never slows the publisher: its queued events are replaced by a fresh
    /// snapshot and then it is dropped, while a reading client gets every event with no gap.
    @Test func slowClientNeverBlocksThePublisher() async throws {
        var options = ControlServer.Options()
        options.outboundLimit = 256 * 1024
        options.sendBufferBytes = 4096
        options.stallTimeout = .seconds(1)
        let fixture = try ServerFixture(options: options)
        defer { Task { await fixture.stop() } }
        let stalled = try RawClient(fixture.socketPath)
        var size: Int32 = 4096
        setsockopt(stalled.fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        stalled.hello()
        let reader = try await ControlClient.connect(socketPath: fixture.socketPath, client: "attach", readOnly: true)
        defer { reader.close() }
        let total = 20_000
        let padding = String(repeating: "p", count: 200)
        let readerDone = Task {
            var expected: UInt64 = 0
            var gaps = 0
            var lastLog = 0
            for await message in reader.messages {
                switch message {
                case .snapshot(let snapshot):
                    expected = snapshot.sequence + 1
                    for event in snapshot.recentEvents {
                        if case .log(let line) = event.kind, let number = Int(line.message.prefix { $0 != " " }) { lastLog = number }
                    }
                case .event(let event):
                    if event.sequence != expected { gaps += 1 }
                    expected = event.sequence + 1
                    if case .log(let line) = event.kind, let number = Int(line.message.prefix { $0 != " " }) { lastLog = number }
                default: break
                }
                if lastLog == total - 1 { break }
            }
            return (gaps, lastLog)
        }
        // The publisher: every publish returns at once whatever the stalled client does.
        for index in 0..<total {
            fixture.bus.publish(.log(LogLine(level: .warning, label: "test", message: "\(index) \(padding)")))
            if index % 1000 == 999 { try await Task.sleep(for: .milliseconds(1)) }
        }
        let (gaps, lastLog) = await readerDone.value
        #expect(gaps == 0)
        #expect(lastLog == total - 1, "\(fixture.log.lines.suffix(20))")
        #expect(await fixture.eventually { fixture.log.contains("fell behind twice without reading") || fixture.log.contains("took none of its events") })
        #expect(fixture.log.contains("control client fell behind"))
        // The stalled client, reading at last, finds its stream ended.
        #expect(try await stalled.endsAsync(within: 30))
    }

    /// A socket file left by a killed process is replaced; a path longer than `sun_path` or a file that is
    /// not a socket is a clear error naming the path.
    @Test func staleSocketReplacedAndBadPathsRefused() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/control.sock"
        // What a killed process leaves: a bound socket file with nobody listening.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8))
            raw[path.utf8.count] = 0
        }
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        close(fd)
        #expect(bound == 0)
        await #expect(throws: ControlClientError(code: .notRunning, message: "")) {
            _ = try await ControlClient.connect(socketPath: path, client: "ctl", readOnly: false)
        }
        let bus = EventBus()
        let log = LogCapture()
        let server = try ControlServer(
            socketPath: path, broker: "SIM", bus: bus, snapshot: { ControlSnapshot(takenAt: .seconds(0), broker: "SIM", chaosLocked: false) },
            handler: { command, actor in CommandTicket(answered: CommandResult(command: command, actor: actor, accepted: true, message: "")) }, logger: log.logger)
        #expect(log.contains("replaced a control socket"))
        #expect(folder.mode(of: "control.sock") == 0o600)
        let running = Task { try await server.run() }
        let client = try await ControlClient.connect(socketPath: path, client: "ctl", readOnly: false)
        #expect(try await client.send(.resume).accepted)
        client.close()
        running.cancel()
        _ = await running.result
        #expect(folder.mode(of: "control.sock") == nil, "the socket file is removed at the end")

        let long = folder.path + "/" + String(repeating: "d", count: 120) + "/control.sock"
        #expect {
            _ = try ControlServer(socketPath: long, broker: "SIM", bus: bus, snapshot: { ControlSnapshot(takenAt: .seconds(0), broker: "SIM", chaosLocked: false) }, handler: { c, a in CommandTicket(answered: CommandResult(command: c, actor: a, accepted: true, message: "")) }, logger: log.logger)
        } throws: { error in
            (error as? ControlServerError)?.code == .pathTooLong && "\(error)".contains(long)
        }
        folder.write("control.sock", "not a socket")
        #expect {
            _ = try ControlServer(socketPath: path, broker: "SIM", bus: bus, snapshot: { ControlSnapshot(takenAt: .seconds(0), broker: "SIM", chaosLocked: false) }, handler: { c, a in CommandTicket(answered: CommandResult(command: c, actor: a, accepted: true, message: "")) }, logger: log.logger)
        } throws: { error in
            (error as? ControlServerError)?.code == .notASocket && "\(error)".contains(path)
        }
    }

    /// No instance: the client's error says so in plain words, naming the folder and the socket.
    @Test func noInstanceIsWorded() async throws {
        let folder = TemporaryFolder()
        let path = ControlProtocol.socketPath(stateDirectory: folder.path)
        do {
            _ = try await ControlClient.connect(socketPath: path, client: "ctl", readOnly: false)
            Issue.record("connected to nothing")
        } catch {
            #expect(error.code == .notRunning)
            #expect(error.message == "no Bulwark is running with \(folder.path)/ (no control socket at \(path))")
        }
    }
}
