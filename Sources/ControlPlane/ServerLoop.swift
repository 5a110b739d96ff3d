#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import DequeModule
import Logging
import Synchronization
import TradingModel

/// The control socket's thread: owns the listening socket and every connection, and waits in `poll()`.
/// Only this thread touches its state (hence `@unchecked Sendable`: it is handed to the thread once).
final class ServerLoop: @unchecked Sendable {
    private let listener: Int32
    private let wake: Int32
    private unowned let server: ControlServer
    private let hello: [UInt8]
    private let snapshot: ControlServer.SnapshotProvider
    private let logger: Logger
    private let options: ControlServer.Options
    private let clock = ContinuousClock()
    private let uid = getuid()

    private var connections: [Connection] = []
    private var nextID: UInt64 = 1
    /// The last events of the stream, contiguous, to follow a snapshot older than the stream.
    private var replay: Deque<(sequence: UInt64, line: [UInt8])> = []
    private var lastSequence: UInt64 = 0

    init(
        listener: Int32, wake: Int32, server: ControlServer, broker: String, snapshot: @escaping ControlServer.SnapshotProvider,
        logger: Logger, options: ControlServer.Options
    ) {
        self.listener = listener
        self.wake = wake
        self.server = server
        self.hello = ControlProtocol.encode(.serverHello(ControlProtocol.ServerHello(pid: getpid(), broker: broker)))
        self.snapshot = snapshot
        self.logger = logger
        self.options = options
    }

    func run() {
        while true {
            let (events, results, stopping) = server.inbox.withLock { inbox in
                defer {
                    inbox.events.removeAll(keepingCapacity: true)
                    inbox.results.removeAll(keepingCapacity: true)
                }
                return (inbox.events, inbox.results, inbox.stopping)
            }
            if stopping { break }
            for event in events { distribute(event) }
            for result in results {
                guard let connection = connections.first(where: { $0.id == result.client }) else { continue }
                connection.commandsWaiting -= 1
                enqueue(result.line, to: connection, droppable: false)
            }
            let now = clock.now
            for connection in connections where !connection.isClosed { checkTimers(connection, now: now) }
            for connection in connections where connection.needsSnapshot && !connection.isClosed { sendSnapshot(connection) }
            for connection in connections where !connection.isClosed { flush(connection) }
            connections.removeAll { $0.isClosed }
            waitForActivity()
        }
        for connection in connections { connection.close() }
        connections.removeAll()
    }

    // MARK: Waiting

    private func waitForActivity() {
        var descriptors = [pollfd(fd: wake, events: Int16(POLLIN), revents: 0), pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
        for connection in connections {
            var events = Int16(POLLIN)
            if connection.hasOutput { events |= Int16(POLLOUT) }
            descriptors.append(pollfd(fd: connection.fd, events: events, revents: 0))
        }
        let timeout = connections.contains { $0.needsSnapshot } ? 20 : 250
        let ready = poll(&descriptors, nfds_t(descriptors.count), Int32(timeout))
        guard ready > 0 else { return }
        if descriptors[0].revents != 0 { drainWakeUps() }
        let polled = connections
        for (index, connection) in polled.enumerated() {
            let revents = descriptors[index + 2].revents
            guard revents != 0, !connection.isClosed else { continue }
            if revents & Int16(POLLOUT) != 0 { flush(connection) }
            if revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { read(connection) }
        }
        if descriptors[1].revents & Int16(POLLIN) != 0 { acceptAll() }
    }

    private func drainWakeUps() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while Glibc.read(wake, &buffer, buffer.count) > 0 {}
    }

    // MARK: Connections

    private func acceptAll() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK {
                    logger.warning("control socket: accept failed", metadata: ["reason": "\(String(cString: strerror(errno)))"])
                }
                return
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            UnixSocket.setNonBlocking(fd)
            admit(fd)
        }
    }

    private func admit(_ fd: Int32) {
        if let size = options.sendBufferBytes {
            var bytes = size
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, socklen_t(MemoryLayout<Int32>.size))
        }
        guard let peer = UnixSocket.peer(fd) else {
            refuse(fd, "the server could not identify this client", log: "peer credentials unavailable", metadata: [:])
            return
        }
        let who: Logger.Metadata = ["uid": "\(peer.uid)", "pid": "\(peer.pid)"]
        guard peer.uid == uid || peer.uid == 0 else {
            refuse(fd, "refused: this Bulwark belongs to another user", log: "peer of another user refused", metadata: who)
            return
        }
        guard connections.count < options.maximumClients else {
            refuse(
                fd, "too many clients: at most \(options.maximumClients) at a time; close one and try again", log: "too many clients",
                metadata: who)
            return
        }
        let connection = Connection(
            id: nextID, fd: fd, uid: peer.uid, pid: peer.pid, helloDeadline: clock.now + options.helloTimeout, now: clock.now)
        nextID += 1
        connections.append(connection)
        logger.info("control client connected", metadata: who.merging(["client": "\(connection.id)"]) { $1 })
    }

    /// Sends one error line (if the socket takes it at once) and closes.
    private func refuse(_ fd: Int32, _ message: String, log: String, metadata: Logger.Metadata) {
        logger.warning("control socket: \(log)", metadata: metadata)
        let line = ControlProtocol.encode(.error(message))
        _ = line.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        close(fd)
    }

    private func drop(_ connection: Connection, error message: String?, log: String) {
        logger.warning(
            "control client dropped: \(log)",
            metadata: ["client": "\(connection.id)", "uid": "\(connection.uid)", "pid": "\(connection.pid)"])
        if let message {
            connection.discardDroppable()
            connection.queue(ControlProtocol.encode(.error(message)), droppable: false)
            _ = connection.flush()
        }
        connection.close()
    }

    private func checkTimers(_ connection: Connection, now: ContinuousClock.Instant) {
        if case .awaitingHello(let deadline) = connection.phase, now >= deadline {
            drop(connection, error: "no hello within \(options.helloTimeout); closing", log: "no hello in time")
        } else if connection.hasOutput, now - connection.lastProgress >= options.stallTimeout {
            drop(connection, error: nil, log: "took none of its events for \(options.stallTimeout)")
        }
    }

    // MARK: Reading

    private func read(_ connection: Connection) {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        // Bounded per wake-up, so one busy client cannot starve the others.
        for _ in 0..<8 {
            let count = chunk.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
            if count == 0 {
                logger.info("control client disconnected", metadata: ["client": "\(connection.id)"])
                connection.close()
                return
            }
            if count < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK {
                    logger.info("control client disconnected", metadata: ["client": "\(connection.id)", "reason": "\(String(cString: strerror(errno)))"])
                    connection.close()
                }
                return
            }
            chunk.withUnsafeBytes { connection.input.append(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            while !connection.isClosed {
                switch connection.input.next() {
                case .none: break
                case .tooLong:
                    drop(connection, error: "line longer than \(ControlProtocol.maximumLineBytes) bytes; closing", log: "line too long")
                    return
                case .line(let line):
                    handle(line, from: connection)
                    continue
                }
                break
            }
            if connection.isClosed { return }
        }
    }

    private func handle(_ line: [UInt8], from connection: Connection) {
        let message: ControlProtocol.Message
        do {
            message = try ControlProtocol.decode(line)
        } catch {
            drop(connection, error: error.message + "; closing", log: error.message)
            return
        }
        switch (connection.phase, message) {
        case (.awaitingHello, .clientHello(let hello)):
            let kind = CommandActor.Kind(rawValue: hello.client).flatMap { [.attach, .ctl, .console].contains($0) ? $0 : nil } ?? .ctl
            let actor = CommandActor(kind: kind, detail: "uid \(connection.uid) pid \(connection.pid)")
            connection.phase = .open(actor: actor, readOnly: hello.readOnly)
            logger.info(
                "control client said hello",
                metadata: ["client": "\(connection.id)", "kind": "\(hello.client.prefix(32))", "read_only": "\(hello.readOnly)"])
            connection.queue(hello: self.hello)
            connection.needsSnapshot = true
        case (.open(let actor, let readOnly), .command(let command, let tag)):
            if case .quit = command {
                refuseCommand(
                    command, tag: tag, actor: actor, connection, "not accepted over the control socket: stop the service with systemctl stop or SIGTERM",
                    code: "control.quit_refused")
            } else if readOnly, command.changesTrading {
                refuseCommand(command, tag: tag, actor: actor, connection, "this session is read-only", code: "control.read_only")
            } else if connection.commandsWaiting >= Self.commandsWaitingLimit, command != .halt {
                refuseCommand(
                    command, tag: tag, actor: actor, connection, "too many commands of this session are waiting for an answer; wait for them",
                    code: "control.too_many_waiting")
            } else {
                connection.commandsWaiting += 1
                server.submit(ControlServer.PendingCommand(client: connection.id, tag: tag, command: command, actor: actor))
            }
        case (.awaitingHello, _):
            drop(connection, error: "expected a hello first; closing", log: "no hello first")
        case (.open, _):
            drop(connection, error: "unexpected message from a client (hello once, then commands); closing", log: "unexpected message")
        }
    }

    private func refuseCommand(
        _ command: ControlCommand, tag: UInt64?, actor: CommandActor, _ connection: Connection, _ reason: String, code: String
    ) {
        logger.warning("control command refused", metadata: ["client": "\(connection.id)", "command": "\(command)", "reason": "\(reason)"])
        let result = CommandResult(id: 0, command: command, actor: actor, accepted: false, message: reason, code: code)
        enqueue(ControlProtocol.encode(.result(result, tag: tag)), to: connection, droppable: false)
    }

    // MARK: Writing

    private func distribute(_ event: (sequence: UInt64, line: [UInt8])) {
        if lastSequence != 0, event.sequence != lastSequence + 1 {
            // This subscription lost events: every client gets a fresh snapshot rather than a gap.
            replay.removeAll()
            for connection in connections where connection.isOpen { connection.needsSnapshot = true }
        }
        lastSequence = event.sequence
        replay.append(event)
        if replay.count > options.replayEvents { replay.removeFirst() }
        for connection in connections where connection.isOpen && !connection.needsSnapshot {
            if event.sequence < connection.nextSequence { continue }
            if event.sequence > connection.nextSequence {
                connection.needsSnapshot = true
                continue
            }
            enqueue(event.line, to: connection, droppable: true)
            connection.nextSequence += 1
        }
    }

    /// Queues a fresh snapshot, then the stream's events after it; waits (stays pending) while the
    /// snapshot is older than what the replay still holds.
    private func sendSnapshot(_ connection: Connection) {
        let current = snapshot()
        let after = current.sequence
        // The board is behind the stream by more than the replay holds (or than is worth sending): wait for it.
        if lastSequence > after, lastSequence - after > UInt64(Self.replayAfterSnapshot) || (replay.first.map({ $0.sequence > after + 1 }) ?? true) {
            return
        }
        connection.needsSnapshot = false
        connection.discardDroppable()
        connection.queue(ControlProtocol.encode(.snapshot(current)), droppable: true)
        connection.nextSequence = after + 1
        for event in replay where event.sequence > after {
            connection.queue(event.line, droppable: true)
            connection.nextSequence = event.sequence + 1
        }
        // Not held to the limit: a client that takes none of it overflows again with the next events
        // and is dropped then.
    }

    /// Commands one client may have waiting for an answer (a halt is always taken).
    static let commandsWaitingLimit = 64

    /// The most events sent after a snapshot to bring it up to the stream.
    static let replayAfterSnapshot = 1024

    private func enqueue(_ line: [UInt8], to connection: Connection, droppable: Bool) {
        guard !connection.isClosed else { return }
        connection.queue(line, droppable: droppable)
        checkLimit(connection)
    }

    private func checkLimit(_ connection: Connection) {
        guard connection.queuedBytes > options.outboundLimit else { return }
        if connection.overflowedSinceProgress {
            drop(connection, error: nil, log: "fell behind twice without reading")
            return
        }
        logger.notice("control client fell behind; its queued events are replaced by a fresh snapshot", metadata: ["client": "\(connection.id)"])
        connection.overflowedSinceProgress = true
        connection.discardDroppable()
        connection.needsSnapshot = true
    }

    private func flush(_ connection: Connection) {
        switch connection.flush() {
        case .progress: connection.lastProgress = clock.now
        case .blocked: break
        case .failed:
            logger.info("control client disconnected", metadata: ["client": "\(connection.id)"])
            connection.close()
        }
    }
}
