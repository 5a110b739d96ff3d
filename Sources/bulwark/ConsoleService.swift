import Assembly
import Console
import Logging
import Primitives
import ServiceLifecycle
import Settings
import Supervision
import Synchronization
import TradingModel
import UnixSignals

/// The console of `bulwark run` as a service of the process's group, listed right after the embedded
/// exchange so that a graceful shutdown reaches it last: it stays on screen while the core, the control
/// socket and the board stop, then restores the terminal.
///
/// How it ends decides what the group does: the operator's Stop shuts the group down (the hook triggers
/// it, and the console stays up until its turn); a detach, or the terminal going away, releases the
/// terminal and Bulwark keeps running headless — the service then waits for the group's shutdown; a
/// terminal that cannot start fails the service, and the group shuts down gracefully. SIGHUP follows
/// `BULWARK_ON_HANGUP` (detach, halt then detach, or stop). It runs once.
final class ConsoleService: Service, Sendable {
    private let session: ConsoleSession
    private let broker: BrokerLabel
    private let clock: any WallClock
    private let connect: ConsoleLink.Connect
    private let policy: BulwarkConfiguration.HangupPolicy
    private let host: CoreHost
    private let logger: Logger
    private let lifecycle = RunState("the console", .once)
    /// The group it belongs to, once built: the operator's Stop and `BULWARK_ON_HANGUP=stop` shut it down.
    private let group = Mutex<ServiceGroup?>(nil)
    private let failure = Mutex<TerminalError?>(nil)

    init(
        setup: ConsoleSetup, broker: BrokerLabel, clock: any WallClock, connect: @escaping ConsoleLink.Connect,
        policy: BulwarkConfiguration.HangupPolicy, host: CoreHost, logger: Logger
    ) {
        self.session = ConsoleSession(setup: setup)
        self.broker = broker
        self.clock = clock
        self.connect = connect
        self.policy = policy
        self.host = host
        self.logger = logger
    }

    /// The group to stop when the operator chooses Stop; set before the group runs.
    func belongs(to group: ServiceGroup) {
        self.group.withLock { $0 = group }
    }

    /// Why the terminal could not be used, if that is how it ended.
    var terminalFailure: TerminalError? { failure.withLock { $0 } }

    func run() async throws {
        try await lifecycle.running {
            // Trapped before the terminal starts, so the terminal does not take SIGHUP as a stop.
            let hangups = await UnixSignalsSequence(trapping: .sighup)
            let result = await withTaskGroup(of: Result<ConsoleSession.Ending, TerminalError>?.self) { tasks in
                tasks.addTask {
                    for await _ in hangups { await self.hungUp() }
                    return nil
                }
                tasks.addTask {
                    await withGracefulShutdownHandler {
                        await self.session.run(broker: self.broker, clock: self.clock, connect: self.connect, stop: { self.stopGroup() })
                    } onGracefulShutdown: {
                        self.session.end(.stopped)
                    }
                }
                var result: Result<ConsoleSession.Ending, TerminalError> = .success(.stopped)
                while let next = await tasks.next() {
                    if let next {
                        result = next
                        break
                    }
                }
                tasks.cancelAll()
                return result
            }
            switch result {
            case .failure(let error):
                failure.withLock { $0 = error }
                throw error
            case .success(.detached), .success(.terminalGone):
                TerminalRelease.detach()
                logger.notice("console detached: Bulwark keeps running headless; `bulwark attach` shows it again")
                // Headless from now on: the console's part ends with the group.
                try? await gracefulShutdown()
            case .success(.stopped):
                if !Task.isShuttingDownGracefully { stopGroup() }
            }
        }
    }

    private func stopGroup() {
        guard let group = group.withLock({ $0 }) else { return }
        Task { await group.triggerGracefulShutdown() }
    }

    /// The console's terminal hung up (SIGHUP): detach, halt then detach, or stop, as configured.
    private func hungUp() async {
        logger.notice("terminal hung up (SIGHUP)", metadata: ["BULWARK_ON_HANGUP": "\(policy.rawValue)"])
        switch policy {
        case .detach:
            session.end(.detached)
        case .halt:
            let result = await host.submit(.halt, from: CommandActor(kind: .system, detail: "terminal hung up"))
            logger.notice("halt on hang-up", metadata: ["accepted": "\(result.accepted)", "message": "\(result.message)"])
            session.end(.detached)
        case .stop:
            stopGroup()
        }
    }
}
