import ControlPlane
import Engine
import Foundation
import Logging
import Primitives
import Supervision
import TestSupport
import TradingModel

/// A control server on a real socket in a temporary folder, with a status board and a handler that
/// records what it was asked.
final class ServerFixture: Sendable {
    let folder = TemporaryFolder()
    let clock = ManualClock()
    let bus: EventBus
    let board: StatusBoard
    let server: ControlServer
    let log = LogCapture(label: "control")
    let received = LockedBox<[ControlCommand]>([])
    /// A resume waits (at most 30 s) until this is open, as a resume re-checking a hold does.
    let resumeGate = LockedBox(true)
    private let running = LockedBox<Task<Void, any Error>?>(nil)

    var socketPath: String { server.socketPath }

    init(options: ControlServer.Options = ControlServer.Options(), handlerDelay: Duration = .zero) throws {
        bus = EventBus(clock: clock)
        let board = StatusBoard(bus: bus, clock: clock, broker: "SIM", chaosLocked: false)
        self.board = board
        let received = self.received
        let resumeGate = self.resumeGate
        server = try ControlServer(
            socketPath: ControlProtocol.socketPath(stateDirectory: folder.path), broker: "SIM", bus: bus,
            snapshot: { board.snapshot(holds: []) },
            handler: { command, actor in
                // The fake core: takes the command now (in arrival order), answers it on a task of its own.
                received.withLock { $0.append(command) }
                let ticket = CommandTicket(id: 1)
                Task {
                    if handlerDelay > .zero { try? await Task.sleep(for: handlerDelay) }
                    if case .resume = command {
                        let deadline = ContinuousClock.now + .seconds(30)
                        while !resumeGate.value, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
                    }
                    ticket.fulfil(CommandResult(id: 1, command: command, actor: actor, accepted: true, message: "done: \(command)"))
                }
                return ticket
            },
            logger: log.logger, options: options)
        let server = self.server
        running.withLock {
            $0 = Task {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await board.run() }
                    group.addTask { try await server.run() }
                }
            }
        }
    }

    func stop() async {
        let task = running.withLock { $0 }
        task?.cancel()
        _ = await task?.result
    }

    /// Waits (at most `seconds`) until `condition` holds.
    func eventually(within seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }
}

/// A raw client: writes any bytes, reads lines as they come, with a deadline; no protocol of its own.
final class RawClient: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(_ path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(description: "connect: \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes everything it can; false when the server closed first.
    @discardableResult
    func write(_ text: String) -> Bool { write(Array(text.utf8)) }

    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return false }
            offset += count
        }
        return true
    }

    func hello(readOnly: Bool = false, version: Int = 1) {
        write(#"{"type":"hello","version":\#(version),"client":"attach","read_only":\#(readOnly)}"# + "\n")
    }

    /// The next line, or nil at the end of the stream or after `seconds` with no complete line.
    func line(within seconds: Double = 10) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return nil }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, Int32(left * 1000) + 1) > 0 else { return nil }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Reads until the end of the stream (true) or until `seconds` pass (false); what was read is dropped.
    func readsToEnd(within seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while deadline.timeIntervalSinceNow > 0 {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) >= 0 else { return true }
            guard descriptor.revents != 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return true }
        }
        return false
    }

    /// The `type` of a JSON line.
    static func type(of line: String?) -> String? {
        guard let line, let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        return object["type"] as? String
    }

    static func object(_ line: String?) -> [String: Any] {
        guard let line, let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return [:] }
        return object
    }
}

/// Runs blocking work on a thread of its own, so a test never holds one of the few cooperative threads
/// the server's tasks need.
func offThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

extension RawClient {
    func nextLine(within seconds: Double = 10) async throws -> String? {
        try await offThread { self.line(within: seconds) }
    }

    func endsAsync(within seconds: Double = 10) async throws -> Bool {
        try await offThread { self.readsToEnd(within: seconds) }
    }
}
