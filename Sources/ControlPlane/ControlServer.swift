#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Logging
import Primitives
import ServiceLifecycle
import Synchronization
import TradingModel

/// The control socket, `state/control.sock`: attached consoles and `bulwark ctl` watch and command a
/// running Bulwark through it (the protocol is `ControlProtocol`).
///
/// One thread owns every descriptor and waits in `poll()`; nothing it does can block the core: events
/// come from its own bus subscription (encoded once, off the publisher), snapshots from a cheap
/// provider, and commands go to the handler on tasks of their own. Each client has a bounded outbound
/// queue: a client that falls behind has its queued events discarded and gets a fresh snapshot, and
/// one that still takes nothing is dropped.
///
/// Binding happens in `init` (so a bad path stops the start with a clear error); `run()` serves until a
/// graceful shutdown or cancellation, then removes the socket. The caller holds `state/.lock`, so a
/// socket file already there was left by a process that died, and is replaced.
public final class ControlServer: Service, Sendable {
    private let lifecycle = RunState("the control socket", .once)
    /// Puts a command in the core's queue now (`CoreHost.enqueue`), in the order the clients sent them;
    /// its result comes on the ticket.
    public typealias Handler = @Sendable (ControlCommand, CommandActor) -> CommandTicket
    public typealias SnapshotProvider = @Sendable () -> ControlSnapshot

    public struct Options: Sendable {
        public var maximumClients = 16
        /// A client must say hello within this time.
        public var helloTimeout: Duration = .seconds(5)
        /// Bytes queued for one client beyond which its queued events are discarded for a fresh snapshot.
        public var outboundLimit = 4 * 1024 * 1024
        /// A client that takes none of its pending output for this long is dropped.
        public var stallTimeout: Duration = .seconds(30)
        /// The kernel's send buffer for each client (tests make it small); nil leaves the default.
        public var sendBufferBytes: Int32?
        /// Recent events kept to follow a snapshot that is older than the stream.
        public var replayEvents = 4096

        public init() {}
    }

    public let socketPath: String
    private let listener: Int32
    private let wake: (read: Int32, write: Int32)
    private let boundInode: ino_t
    private let broker: String
    private let subscription: EventSubscription
    private let snapshot: SnapshotProvider
    private let handler: Handler
    private let logger: Logger
    private let options: Options
    let inbox = Mutex(Inbox())
    /// Commands already in the core's queue, whose results are still to be sent back.
    private let answers: AsyncStream<(PendingCommand, CommandTicket)>
    private let answerInput: AsyncStream<(PendingCommand, CommandTicket)>.Continuation

    /// What the other tasks hand the socket thread.
    struct Inbox: Sendable {
        var events: [(sequence: UInt64, line: [UInt8])] = []
        var results: [(client: UInt64, line: [UInt8])] = []
        var stopping = false
    }

    struct PendingCommand: Sendable {
        var client: UInt64
        var tag: UInt64?
        var command: ControlCommand
        var actor: CommandActor
    }

    /// Binds `socketPath` (0600), replacing a socket file left by a dead process, and subscribes to `bus`.
    public init(
        socketPath: String, broker: String, bus: EventBus, snapshot: @escaping SnapshotProvider, handler: @escaping Handler,
        logger: Logger, options: Options = Options()
    ) throws(ControlServerError) {
        guard socketPath.utf8.count <= UnixSocket.maximumPathBytes else {
            throw ControlServerError(
                code: .pathTooLong,
                message: "control socket path \(socketPath) is \(socketPath.utf8.count) bytes; a Unix socket path may have at most \(UnixSocket.maximumPathBytes): use a shorter --state-dir")
        }
        var info = stat()
        if lstat(socketPath, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFSOCK else {
                throw ControlServerError(code: .notASocket, message: "\(socketPath) exists and is not a socket; move it away")
            }
            // Left by a process that died: the state folder's lock is ours, so nobody serves it.
            unlink(socketPath)
            logger.notice("replaced a control socket left by a stopped process", metadata: ["path": "\(socketPath)"])
        }
        let fd: Int32
        do {
            fd = try UnixSocket.make()
        } catch {
            throw ControlServerError(code: .system, message: "cannot make the control socket: \(error.reason)")
        }
        let bound = UnixSocket.withAddress(socketPath) { bind(fd, $0, $1) } ?? -1
        guard bound == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ControlServerError(code: .system, message: "cannot bind the control socket \(socketPath): \(reason)")
        }
        // The state folder is 0700, so nobody else could reach the socket before this tightening.
        chmod(socketPath, 0o600)
        guard listen(fd, 32) == 0, lstat(socketPath, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            unlink(socketPath)
            throw ControlServerError(code: .system, message: "cannot listen on the control socket \(socketPath): \(reason)")
        }
        UnixSocket.setNonBlocking(fd)
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            close(fd)
            unlink(socketPath)
            throw ControlServerError(code: .system, message: "cannot make the control socket's wake-up pipe: \(String(cString: strerror(errno)))")
        }
        for end in pipeEnds {
            UnixSocket.setNonBlocking(end)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        self.socketPath = socketPath
        self.listener = fd
        self.wake = (pipeEnds[0], pipeEnds[1])
        self.boundInode = info.st_ino
        self.broker = broker
        self.subscription = bus.subscribe(name: "control-socket", bufferSize: 8192)
        self.snapshot = snapshot
        self.handler = handler
        self.logger = logger
        self.options = options
        (answers, answerInput) = AsyncStream.makeStream(of: (PendingCommand, CommandTicket).self)
        logger.notice("control socket listening", metadata: ["path": "\(socketPath)"])
    }

    deinit {
        close(listener)
        close(wake.read)
        close(wake.write)
    }

    /// Serves clients until a graceful shutdown or cancellation; then closes every connection and
    /// removes the socket file.
    /// Refuses a second run while one goes on and any after the first.
    public func run() async throws {
        try await lifecycle.running { try await serve() }
    }

    private func serve() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.forwardEvents() }
            group.addTask { await self.sendResults() }
            await withTaskCancellationHandler {
                await withGracefulShutdownHandler {
                    await self.serveOnThread()
                } onGracefulShutdown: {
                    self.stop()
                }
            } onCancel: {
                self.stop()
            }
            answerInput.finish()
            group.cancelAll()
        }
    }

    private func stop() {
        inbox.withLock { $0.stopping = true }
        wakeUp()
    }

    func wakeUp() {
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    private func serveOnThread() async {
        let loop = ServerLoop(
            listener: listener, wake: wake.read, server: self, broker: broker, snapshot: snapshot, logger: logger, options: options)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                loop.run()
                continuation.resume()
            }
            thread.name = "control-socket"
            thread.start()
        }
        // Remove the socket only if it is still ours (not replaced by someone else since).
        var info = stat()
        if lstat(socketPath, &info) == 0, info.st_ino == boundInode { unlink(socketPath) }
        logger.notice("control socket closed", metadata: ["path": "\(socketPath)"])
    }

    /// Encodes every event once, as it comes, for the socket thread.
    private func forwardEvents() async {
        for await event in subscription {
            let line = ControlProtocol.encode(.event(event))
            let wasEmpty = inbox.withLock { inbox in
                defer { inbox.events.append((event.sequence, line)) }
                return inbox.events.isEmpty
            }
            if wasEmpty { wakeUp() }
        }
    }

    /// Hands a client's command to the core's queue at once, on the socket thread, so commands keep the
    /// order they came in across every client (a halt is carried out before this returns); the result
    /// is sent back when it comes.
    func submit(_ command: PendingCommand) {
        let ticket = handler(command.command, command.actor)
        answerInput.yield((command, ticket))
    }

    private func sendResults() async {
        await withDiscardingTaskGroup { group in
            for await (pending, ticket) in answers {
                group.addTask { self.answer(pending, await ticket.result) }
            }
        }
    }

    private func answer(_ pending: PendingCommand, _ result: CommandResult) {
        let line = ControlProtocol.encode(.result(result, tag: pending.tag))
        inbox.withLock { $0.results.append((pending.client, line)) }
        wakeUp()
    }
}
