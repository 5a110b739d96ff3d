import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Hostile local clients, for `bulwark bench exhaustion` and the tests that trade through one: connections
/// that are opened and left idle, and slow ones that send a request head a byte at a time and never finish
/// it (slowloris). A connection the server closes is opened again, so the pressure stays constant. Every
/// socket is driven from one thread of its own with `poll`, never from Swift's cooperative pool.
public final class ConnectionFlood: Sendable {
    public struct Target: Sendable {
        public var port: Int
        public var idle: Int
        public var slow: Int

        public init(port: Int, idle: Int, slow: Int) {
            self.port = port
            self.idle = idle
            self.slow = slow
        }
    }

    public struct Figures: Sendable {
        /// Connections attempted, in all.
        public var opened = 0
        /// Connections the server closed (or reset) while the flood ran.
        public var closedByServer = 0
        /// Connection attempts that failed outright (refused, timed out, out of descriptors).
        public var failed = 0
        /// Connections still open (or still connecting) when the flood stopped.
        public var openAtEnd = 0
        /// How long each idle connection lived, from `connect` to the server's close (any wait in the
        /// server's listen backlog included).
        public var idleLifetimes: [Duration] = []
        /// The same for the slow connections.
        public var slowLifetimes: [Duration] = []
    }

    private enum Kind { case idle, slow }

    private struct Connection {
        var fd: Int32
        var kind: Kind
        var port: Int
        var opened: ContinuousClock.Instant
        var connected: Bool
    }

    /// Connections the servers have closed so far (it grows while the flood runs).
    public var closedSoFar: Int { closed.load(ordering: .relaxed) }

    private let closed = Atomic<Int>(0)
    private let targets: [Target]
    private let byteInterval: Duration
    private let stopRequested = Atomic<Bool>(false)
    /// The figures once the driving thread has closed everything, or the caller of `stop()` waiting for them.
    private let outcome = Mutex<Outcome>(.running(waiter: nil))

    private enum Outcome {
        case running(waiter: CheckedContinuation<Figures, Never>?)
        case finished(Figures)
    }

    /// `byteInterval`: how often each slow connection sends its next byte.
    public init(targets: [Target], byteInterval: Duration = .milliseconds(500)) {
        self.targets = targets
        self.byteInterval = byteInterval
    }

    /// Opens every connection and keeps them up until `stop()`.
    public func start() {
        let thread = Thread { [self] in
            let figures = drive()
            let waiter = outcome.withLock { outcome -> CheckedContinuation<Figures, Never>? in
                defer { outcome = .finished(figures) }
                if case .running(let waiter) = outcome { return waiter }
                return nil
            }
            waiter?.resume(returning: figures)
        }
        thread.start()
    }

    /// Closes every connection and returns what happened.
    public func stop() async -> Figures {
        stopRequested.store(true, ordering: .relaxed)
        return await withCheckedContinuation { (continuation: CheckedContinuation<Figures, Never>) in
            let figures = outcome.withLock { outcome -> Figures? in
                switch outcome {
                case .finished(let figures): return figures
                case .running: outcome = .running(waiter: continuation); return nil
                }
            }
            if let figures { continuation.resume(returning: figures) }
        }
    }

    private var shouldStop: Bool { stopRequested.load(ordering: .relaxed) }

    private func drive() -> Figures {
        var figures = Figures()
        var connections: [Connection] = []
        for target in targets {
            for index in 0..<(target.idle + target.slow) {
                let kind: Kind = index < target.idle ? .idle : .slow
                if let connection = open(port: target.port, kind: kind, figures: &figures) { connections.append(connection) }
            }
        }
        var nextByte = ContinuousClock.now + byteInterval
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !shouldStop {
            var entries = connections.map { pollfd(fd: $0.fd, events: Int16($0.connected ? POLLIN : POLLOUT), revents: 0) }
            let ready = poll(&entries, nfds_t(entries.count), 50)
            var replaced: [Int: Connection?] = [:]
            if ready > 0 {
                for (index, entry) in entries.enumerated() where entry.revents != 0 {
                    var connection = connections[index]
                    if !connection.connected {
                        var error: Int32 = 0
                        var length = socklen_t(MemoryLayout<Int32>.size)
                        getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length)
                        if error != 0 {
                            figures.failed += 1
                            close(connection.fd)
                            replaced[index] = open(port: connection.port, kind: connection.kind, figures: &figures)
                            continue
                        }
                        connection.connected = true
                        connections[index] = connection
                        if connection.kind == .slow { _ = Self.send(connection.fd, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ") }
                        continue
                    }
                    let count = buffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
                    if count > 0 || (count < 0 && (errno == EAGAIN || errno == EINTR)) { continue }
                    close(connection.fd)
                    figures.closedByServer += 1
                    closed.add(1, ordering: .relaxed)
                    let lifetime = ContinuousClock.now - connection.opened
                    if connection.kind == .idle { figures.idleLifetimes.append(lifetime) } else { figures.slowLifetimes.append(lifetime) }
                    replaced[index] = open(port: connection.port, kind: connection.kind, figures: &figures)
                }
            }
            if ContinuousClock.now >= nextByte {
                nextByte = ContinuousClock.now + byteInterval
                for connection in connections where connection.kind == .slow && connection.connected {
                    _ = Self.send(connection.fd, "a")
                }
            }
            if !replaced.isEmpty {
                var next: [Connection] = []
                next.reserveCapacity(connections.count)
                for (index, connection) in connections.enumerated() {
                    if let replacement = replaced[index] {
                        if let replacement { next.append(replacement) }
                    } else {
                        next.append(connection)
                    }
                }
                connections = next
            }
        }
        figures.openAtEnd = connections.count
        for connection in connections { close(connection.fd) }
        return figures
    }

    private func open(port: Int, kind: Kind, figures: inout Figures) -> Connection? {
        figures.opened += 1
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            figures.failed += 1
            return nil
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 || errno == EINPROGRESS else {
            figures.failed += 1
            close(fd)
            return nil
        }
        return Connection(fd: fd, kind: kind, port: port, opened: .now, connected: false)
    }

    private static func send(_ fd: Int32, _ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }
}
