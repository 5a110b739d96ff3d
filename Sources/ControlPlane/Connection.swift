#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import DequeModule
import TradingModel

/// One client of the control socket, as the socket thread keeps it: its phase, the bytes it sent that
/// make no line yet, and its outbound queue of lines.
final class Connection {
    enum Phase {
        case awaitingHello(deadline: ContinuousClock.Instant)
        case open(actor: CommandActor, readOnly: Bool)
    }

    enum FlushOutcome {
        case progress, blocked, failed
    }

    private struct Line {
        var bytes: [UInt8]
        /// Events and snapshots may be discarded for a fresh snapshot; hellos, results and errors never.
        var droppable: Bool
    }

    let id: UInt64
    let fd: Int32
    let uid: uid_t
    let pid: pid_t
    var phase: Phase
    var input = LineBuffer(limit: ControlProtocol.maximumLineBytes)
    /// The sequence number of the next event this client must get (after its snapshot).
    var nextSequence: UInt64 = 0
    var needsSnapshot = false
    /// Commands handed to the core whose result has not come back yet.
    var commandsWaiting = 0
    var lastProgress: ContinuousClock.Instant
    /// It overflowed its queue and has taken nothing since: the next overflow drops it.
    var overflowedSinceProgress = false
    private(set) var isClosed = false
    private var output: Deque<Line> = []
    /// Bytes of the first line already written.
    private var written = 0
    private(set) var queuedBytes = 0

    init(id: UInt64, fd: Int32, uid: uid_t, pid: pid_t, helloDeadline: ContinuousClock.Instant, now: ContinuousClock.Instant) {
        self.id = id
        self.fd = fd
        self.uid = uid
        self.pid = pid
        self.phase = .awaitingHello(deadline: helloDeadline)
        self.lastProgress = now
    }

    var isOpen: Bool {
        if isClosed { return false }
        if case .open = phase { return true }
        return false
    }

    var hasOutput: Bool { !output.isEmpty }

    func queue(_ bytes: [UInt8], droppable: Bool) {
        if output.isEmpty { lastProgress = ContinuousClock.now }
        output.append(Line(bytes: bytes, droppable: droppable))
        queuedBytes += bytes.count
    }

    func queue(hello: [UInt8]) {
        queue(hello, droppable: false)
    }

    /// Drops the queued events and snapshots, except a line already partly written (never a torn line).
    func discardDroppable() {
        guard !output.isEmpty else { return }
        let head = written > 0 ? output.removeFirst() : nil
        output.removeAll { $0.droppable }
        if let head { output.prepend(head) }
        queuedBytes = output.reduce(0) { $0 + $1.bytes.count } - written
    }

    /// Writes as much as the socket takes now.
    func flush() -> FlushOutcome {
        var progressed = false
        while let first = output.first {
            let count = first.bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + written, raw.count - written, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { break }
                return .failed
            }
            progressed = progressed || count > 0
            written += count
            queuedBytes -= count
            if written == first.bytes.count {
                output.removeFirst()
                written = 0
            }
        }
        if progressed { overflowedSinceProgress = false }
        return progressed ? .progress : .blocked
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        output.removeAll()
        queuedBytes = 0
        Glibc.close(fd)
    }
}
