#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Synchronization
import TradingModel

/// A client of the control socket, for `bulwark attach`, the in-process console and `bulwark ctl`.
///
/// `connect` says hello and returns once the server has answered; `messages` then carries the snapshot,
/// the events and the results, and ends when the connection drops. `send` waits for its own command's
/// result (matched by a tag the server echoes). One thread reads the socket; writes are short.
public final class ControlClient: Sendable {
    /// What the server said in its hello.
    public let server: ControlProtocol.ServerHello
    public let messages: AsyncStream<ControlMessage>
    public let socketPath: String

    private struct State {
        var nextTag: UInt64 = 1
        var waiting: [UInt64: CheckedContinuation<CommandResult, any Error>] = [:]
        var isClosed = false
    }

    private let fd: Int32
    private let state = Mutex(State())
    private let writing = Mutex(())
    private let output: AsyncStream<ControlMessage>.Continuation

    private init(fd: Int32, socketPath: String, server: ControlProtocol.ServerHello, pending: LineBuffer) {
        self.fd = fd
        self.socketPath = socketPath
        self.server = server
        (messages, output) = AsyncStream.makeStream(of: ControlMessage.self, bufferingPolicy: .unbounded)
        let reader = Thread { [self] in readLoop(pending) }
        reader.name = "control-client"
        reader.start()
    }

    /// Connects to the control socket at `socketPath` as `client` ("attach", "ctl", "console"), says
    /// hello, and waits (at most `timeout`) for the server's.
    public static func connect(
        socketPath: String, client: String, readOnly: Bool, timeout: Duration = .seconds(5)
    ) async throws(ControlClientError) -> ControlClient {
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Result<ControlClient, ControlClientError>, Never>) in
            let thread = Thread {
                continuation.resume(returning: Result { () throws(ControlClientError) -> ControlClient in
                    try handshake(socketPath: socketPath, client: client, readOnly: readOnly, timeout: timeout)
                })
            }
            thread.name = "control-connect"
            thread.start()
        }
        return try outcome.get()
    }

    private static func handshake(socketPath: String, client: String, readOnly: Bool, timeout: Duration) throws(ControlClientError) -> ControlClient {
        let fd: Int32
        do {
            fd = try UnixSocket.make()
        } catch {
            throw ControlClientError(code: .system, message: "cannot make a socket: \(error.reason)")
        }
        guard let connected = UnixSocket.withAddress(socketPath, { Glibc.connect(fd, $0, $1) }) else {
            Glibc.close(fd)
            throw ControlClientError(
                code: .system,
                message: "the control socket path \(socketPath) is longer than a Unix socket path may be (\(UnixSocket.maximumPathBytes) bytes)")
        }
        if connected != 0 {
            let code = errno
            Glibc.close(fd)
            switch code {
            case ENOENT, ECONNREFUSED, ENOTDIR: throw ControlClientError.notRunning(socketPath)
            case EACCES, EPERM: throw ControlClientError(code: .permissionDenied, message: "not allowed to use \(socketPath) (it belongs to another user)")
            default: throw ControlClientError(code: .system, message: "cannot connect to \(socketPath): \(String(cString: strerror(code)))")
            }
        }
        // A server that refuses (another user, too many clients) writes its reason and closes at once,
        // perhaps before the hello is written: its reason is read below either way.
        let helloFailure: UnixSocket.Failure?
        do {
            try UnixSocket.writeAll(fd, ControlProtocol.encode(.clientHello(ControlProtocol.ClientHello(client: client, readOnly: readOnly))))
            helloFailure = nil
        } catch {
            helloFailure = error
        }
        // The hello, with a deadline; what follows it stays in the buffer for the reader.
        let (seconds, attoseconds) = timeout.components
        var limit = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var buffer = LineBuffer(limit: Int.max)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if case .line(let line) = buffer.next() {
                let message: ControlProtocol.Message
                do {
                    message = try ControlProtocol.decode(line, limit: nil)
                } catch {
                    Glibc.close(fd)
                    throw ControlClientError(code: .protocolError, message: "cannot read Bulwark's hello: \(error.message)")
                }
                switch message {
                case .serverHello(let hello):
                    var none = timeval()
                    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &none, socklen_t(MemoryLayout<timeval>.size))
                    return ControlClient(fd: fd, socketPath: socketPath, server: hello, pending: buffer)
                case .error(let text):
                    Glibc.close(fd)
                    throw ControlClientError(code: .refused, message: "Bulwark refused the connection: \(text)")
                default:
                    Glibc.close(fd)
                    throw ControlClientError(code: .protocolError, message: "Bulwark did not start with a hello")
                }
            }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                chunk.withUnsafeBytes { buffer.append(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                continue
            }
            let code = errno
            if count < 0, code == EINTR { continue }
            Glibc.close(fd)
            if count < 0, code == EAGAIN || code == EWOULDBLOCK {
                throw ControlClientError(code: .timedOut, message: "Bulwark did not answer on \(socketPath) within \(timeout)")
            }
            if let helloFailure {
                throw ControlClientError(code: .disconnected, message: "Bulwark closed the control socket at once: \(helloFailure.reason)")
            }
            throw ControlClientError(code: .disconnected, message: "Bulwark closed the control socket before its hello")
        }
    }

    /// Sends `command` and waits for its result (carried out, refused, or superseded by a later halt).
    public func send(_ command: ControlCommand) async throws(ControlClientError) -> CommandResult {
        do {
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<CommandResult, any Error>) in
                let tag: UInt64? = state.withLock { state in
                    guard !state.isClosed else { return nil }
                    defer { state.nextTag += 1 }
                    state.waiting[state.nextTag] = continuation
                    return state.nextTag
                }
                guard let tag else {
                    continuation.resume(throwing: ControlClientError.disconnected)
                    return
                }
                do {
                    try writing.withLock { _ throws(UnixSocket.Failure) in
                        try UnixSocket.writeAll(fd, ControlProtocol.encode(.command(command, tag: tag)))
                    }
                } catch {
                    state.withLock { $0.waiting.removeValue(forKey: tag) }?.resume(throwing: ControlClientError.disconnected)
                }
            }
        } catch let error as ControlClientError {
            throw error
        } catch {
            throw ControlClientError.disconnected
        }
    }

    /// Closes the connection; `messages` ends and waiting commands fail with `disconnected`.
    public func close() {
        let wasClosed = state.withLock { state in
            defer { state.isClosed = true }
            return state.isClosed
        }
        if !wasClosed { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func readLoop(_ pending: LineBuffer) {
        var buffer = pending
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        reading: while true {
            while case .line(let line) = buffer.next() {
                guard deliver(line) else { break reading }
            }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            chunk.withUnsafeBytes { buffer.append(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
        let waiting = state.withLock { state in
            state.isClosed = true
            defer { state.waiting.removeAll() }
            return Array(state.waiting.values)
        }
        for continuation in waiting { continuation.resume(throwing: ControlClientError.disconnected) }
        output.finish()
    }

    deinit {
        // Only here: the reader thread holds the client while it reads, so the descriptor is never reused under it.
        Glibc.close(fd)
    }

    /// Hands one line on; false when the connection must end (an error from the server, unreadable input).
    private func deliver(_ line: [UInt8]) -> Bool {
        let message: ControlProtocol.Message
        do {
            message = try ControlProtocol.decode(line, limit: nil)
        } catch {
            output.yield(.error("unreadable message from Bulwark: \(error.message)"))
            return false
        }
        switch message {
        case .snapshot(let snapshot): output.yield(.snapshot(snapshot))
        case .event(let event): output.yield(.event(event))
        case .result(let result, let tag):
            if let tag { state.withLock { $0.waiting.removeValue(forKey: tag) }?.resume(returning: result) }
            output.yield(.result(result))
        case .error(let text):
            output.yield(.error(text))
            return false
        case .clientHello, .serverHello, .command:
            output.yield(.error("unexpected message from Bulwark"))
            return false
        }
        return true
    }
}
