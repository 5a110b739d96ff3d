import Primitives
import Synchronization
import TradingModel

/// The console's side of the control plane: connects to the instance, feeds the console one stream of
/// `ConsoleInput` (the connection's state, then the snapshot and events), and when the connection drops
/// or cannot be made says so and tries again every `retryInterval`, for as long as `run` runs.
///
/// Commands keep the operator's order: one is sent after the previous one's result came back (the core
/// carries them out in that order anyway), except a halt, which is sent at once — and replaces the
/// commands still waiting to be sent that it would supersede (resume, reduce-only, flatten), so the
/// operator's last word stays "halt". A command the core never saw (not connected, refused by the
/// server, superseded here) is reported as a `.commandResult` event with sequence 0.
public final class ConsoleLink: Sendable {
    public typealias Connect = @Sendable () async -> ConsoleConnection.Attempt

    private struct Sending {
        var connection: ConsoleConnection?
        var waiting: [ControlCommand] = []
        var busy = false
    }

    /// What the console reads.
    public let inputs: AsyncStream<ConsoleInput>
    private let continuation: AsyncStream<ConsoleInput>.Continuation
    private let connect: Connect
    private let clock: any WallClock
    private let retryInterval: Duration
    private let sending = Mutex(Sending())

    public init(clock: any WallClock, retryInterval: Duration = .seconds(1), connect: @escaping Connect) {
        (inputs, continuation) = AsyncStream.makeStream(of: ConsoleInput.self, bufferingPolicy: .unbounded)
        self.connect = connect
        self.clock = clock
        self.retryInterval = retryInterval
    }

    /// Connects and reconnects until cancelled; then closes the connection and finishes `inputs`.
    public func run() async {
        defer { continuation.finish() }
        continuation.yield(.connection(.connecting))
        var reported: String?
        while !Task.isCancelled {
            switch await connect() {
            case .connected(let connection):
                let reason = await forward(connection)
                guard !Task.isCancelled else { return }
                reported = reason
                continuation.yield(.connection(.disconnected(reason)))
            case .failed(let reason):
                if reason != reported { continuation.yield(.connection(.disconnected(reason))) }
                reported = reason
            }
            do {
                try await clock.sleep(for: retryInterval)
            } catch {
                return
            }
        }
    }

    /// Forwards one connection's inputs; returns why it ended. It counts as connected from its first
    /// snapshot: before that the console has nothing live to show.
    private func forward(_ connection: ConsoleConnection) async -> String {
        var connected = false
        var reason = "the connection to Bulwark closed"
        for await input in connection.inputs {
            switch input {
            case .connection(.disconnected(let why)):
                reason = why
            case .connection:
                break
            case .snapshot:
                if !connected {
                    connected = true
                    sending.withLock { $0.connection = connection }
                    continuation.yield(.connection(.connected))
                }
                continuation.yield(input)
            case .event:
                if connected { continuation.yield(input) }
            }
        }
        let waiting = sending.withLock { state in
            defer {
                state.connection = nil
                state.waiting = []
            }
            return state.waiting
        }
        connection.close()
        for command in waiting { report(command, "not sent: the connection to Bulwark dropped") }
        return reason
    }

    /// Hands a command over; never waits. Its result comes back as an event.
    public func send(_ command: ControlCommand) {
        enum Action {
            case none
            case start(ConsoleConnection)
            case halt(ConsoleConnection, superseded: [ControlCommand])
            case notConnected
        }
        let action: Action = sending.withLock { state in
            guard let connection = state.connection else { return .notConnected }
            if case .halt = command {
                let superseded = state.waiting.filter(\.isSupersededByHalt)
                state.waiting.removeAll(where: \.isSupersededByHalt)
                return .halt(connection, superseded: superseded)
            }
            if state.busy {
                state.waiting.append(command)
                return .none
            }
            state.busy = true
            return .start(connection)
        }
        switch action {
        case .none:
            break
        case .notConnected:
            report(command, "not sent: not connected to Bulwark")
        case .halt(let connection, let superseded):
            for command in superseded { report(command, "not sent: superseded by the halt that followed it") }
            Task { await self.carryOut(.halt, on: connection) }
        case .start(let connection):
            Task { await self.drain(first: command, on: connection) }
        }
    }

    /// Sends `first`, then whatever waits behind it, one result at a time, each on the connection there
    /// is when its turn comes.
    private func drain(first: ControlCommand, on connection: ConsoleConnection) async {
        var next: (ControlCommand, ConsoleConnection?)? = (first, connection)
        while let (command, connection) = next {
            if let connection {
                await carryOut(command, on: connection)
            } else {
                report(command, "not sent: not connected to Bulwark")
            }
            next = sending.withLock { state in
                guard !state.waiting.isEmpty else {
                    state.busy = false
                    return nil
                }
                return (state.waiting.removeFirst(), state.connection)
            }
        }
    }

    private func carryOut(_ command: ControlCommand, on connection: ConsoleConnection) async {
        let result = await connection.send(command)
        // A result with an id came from the core, which also publishes it as an event.
        if result.id == 0 { report(result) }
    }

    private func report(_ command: ControlCommand, _ message: String) {
        report(CommandResult(id: 0, command: command, accepted: false, message: message))
    }

    private func report(_ result: CommandResult) {
        continuation.yield(.event(Event(sequence: 0, timestamp: clock.now, kind: .commandResult(result))))
    }
}
