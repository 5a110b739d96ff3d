import Logging
import ServiceLifecycle
import Synchronization

/// Runs the core, generation after generation, and carries out the operator's commands against the
/// generation in force.
///
/// It links health to trading: when the overall health becomes FAILED for a persistent reason
/// (FAILED_CONFIG, FAILED_API_SCHEMA, FAILED_RESTARTS) trading is held — HALTED, or REDUCING for given-up
/// restarts so exits are still managed — until the operator resumes (the resume re-checks the cause).
/// It writes the trading state into the health document on every change.
///
/// A graceful shutdown ends the supervisor, saves the state once more and marks health STOPPED.
/// `supervisor_crash` tears the supervisor down with no save and builds the next generation from disk; it
/// counts as a restart of `trading-bot`, which is STARTING until the new generation's start-up ends.
public final class CoreHost: Service {
    public typealias Build = @Sendable (_ number: Int) throws -> CoreGeneration

    private let registry: HealthRegistry
    private let chaos: ChaosSwitchboard
    private let bus: EventBus?
    private let clock: any WallClock
    private let logger: Logger
    private let build: Build
    private let current = Mutex<CoreGeneration?>(nil)
    /// Every operator command, in arrival order; a halt at once.
    public let commands: CommandQueue

    /// `haltOnDisk` writes a halt straight into the state file when no generation is in force (before
    /// the first one is built, between generations after `supervisor_crash`). Every command's result is
    /// logged, written to `journal` (the audit trail) and published.
    public init(
        registry: HealthRegistry, chaos: ChaosSwitchboard, bus: EventBus?, clock: any WallClock, logger: Logger, journal: OrderJournal?,
        haltOnDisk: @escaping CommandQueue.HaltWithoutSubject, build: @escaping Build
    ) {
        self.registry = registry
        self.chaos = chaos
        self.bus = bus
        self.clock = clock
        self.logger = logger
        self.build = build
        self.commands = CommandQueue(haltWithoutSubject: haltOnDisk) { [logger, bus] result in
            do throws(OrderJournal.WriteError) {
                try journal?.append(.command(result))
            } catch {
                logger.error("could not journal an operator command", metadata: ["id": "\(result.id)", "error": "\(error.description)"])
            }
            logger.log(
                level: result.accepted ? .notice : .warning, "operator command \(result.accepted ? "done" : "refused")",
                metadata: [
                    "id": "\(result.id)", "command": "\(result.command)", "actor": "\(result.actor)", "result": "\(result.message)",
                ])
            bus?.publish(.commandResult(result))
        }
        registry.observeOverall { [weak self] overall, services in self?.link(overall, services) }
    }

    /// The generation in force, once the first is built.
    public var generation: CoreGeneration? { current.withLock { $0 } }

    public func run() async throws {
        registry.writeNow()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.commands.run() }
            defer { group.cancelAll() }
            try await runGenerations()
        }
    }

    private func runGenerations() async throws {
        var number = 1
        while true {
            let generation = try commands.install { () throws -> GenerationInForce in
                let generation = try build(number)
                current.withLock { $0 = generation }
                return GenerationInForce(generation, host: self)
            }.generation
            generation.store.observeTradingState { [registry] in registry.setTradingState($0) }
            if number > 1 { chaosDone(.supervisorCrash, "core started again from disk (generation \(number))") }
            let ending = await generation.supervisor.run()
            commands.uninstall()
            current.withLock { $0 = nil }
            switch ending {
            case .shutdown:
                do {
                    try generation.store.save()
                } catch {
                    logger.error("final save failed", metadata: ["error": "\(error.message)"])
                }
                logger.notice("core stopped", metadata: ["pending_intents": "\(generation.store.state.pendingIntents.count)"])
                registry.stop()
                return
            case .crashed:
                guard !Task.isCancelled, !Task.isShuttingDownGracefully else { return }
                // The core is the trading bot: its teardown and rebuild is a restart of `trading-bot`.
                registry.starting(.tradingBot, restartReason: "the core was torn down (supervisor_crash); started again from disk")
                number += 1
            }
        }
    }

    // MARK: Commands

    /// Carries out `command` from the in-process console; see `submit(_:from:)`.
    @discardableResult
    public func perform(_ command: ControlCommand) async -> CommandResult {
        await submit(command, from: .console)
    }

    /// Carries out `command` in its turn in the one command queue (a halt at once, durably); the answer
    /// is also published and logged.
    @discardableResult
    public func submit(_ command: ControlCommand, from actor: CommandActor) async -> CommandResult {
        await commands.submit(command, from: actor)
    }

    /// Puts `command` in the queue now (a halt is carried out now); its result comes on the ticket.
    public func enqueue(_ command: ControlCommand, from actor: CommandActor) -> CommandTicket {
        commands.enqueue(command, from: actor)
    }

    fileprivate func toggle(_ mode: ChaosMode, on: Bool, generation: CoreGeneration) -> CommandResult.Draft {
        do {
            guard try chaos.set(mode, on: on) else {
                return CommandResult.Draft(accepted: true, message: "chaos \(mode.rawValue) was already \(on ? "on" : "off")")
            }
        } catch {
            return CommandResult.Draft(accepted: false, message: error.message)
        }
        guard on else { return CommandResult.Draft(accepted: true, message: "chaos \(mode.rawValue) off") }
        switch mode {
        case .supervisorCrash:
            generation.supervisor.crash()
            return CommandResult.Draft(accepted: true, message: "supervisor torn down; the core starts again from disk")
        case .stateCorrupt:
            let message: String
            do {
                let report = try generation.store.overwriteAndReload(with: Array("{\"chaos\": garbage \u{FFFD}".utf8))
                generation.reconciler.request()
                if case .healed(let healing) = report.outcome {
                    message = "state file corrupted and healed: backup \(healing.backupPath); rebuilding from the broker"
                } else {
                    message = "state file corrupted and reloaded"
                }
            } catch {
                message = "state corruption: \(error.message)"
            }
            chaosDone(.stateCorrupt, message)
            return CommandResult.Draft(accepted: true, message: message)
        case .alpacaDown, .invalidCreds, .uwDown, .rateLimit, .latency, .schemaDrift:
            return CommandResult.Draft(accepted: true, message: "chaos \(mode.rawValue) on")
        }
    }

    /// One-shot modes switch themselves off once done.
    private func chaosDone(_ mode: ChaosMode, _ what: String) {
        guard chaos.isOn(mode) else { return }
        _ = try? chaos.set(mode, on: false)
        logger.notice("chaos \(mode.rawValue) done: \(what)")
    }

    // MARK: Health → trading

    private func link(_ overall: OverallHealth, _ services: [ServiceHealth]) {
        guard overall.status == .failed, let reason = overall.reason, let store = generation?.store else { return }
        let code: HaltCode
        switch reason {
        case .config: code = .config
        case .apiSchema: code = .apiSchema
        case .restarts: code = .restarts
        case .reconciliation, .state, .service: return
        }
        let failing = services.filter { $0.isCritical && $0.reason == reason }
            .map { "\($0.name)" + ($0.detail.map { " (\($0))" } ?? "") }.joined(separator: ", ")
        do {
            try store.hold(code, reason: "\(reason.rawValue): \(failing)")
        } catch {
            logger.error("could not hold trading for a failed health", metadata: ["reason": "\(reason.rawValue)", "error": "\(error.message)"])
        }
    }
}

/// The generation in force as the command queue sees it.
private struct GenerationInForce: CommandQueue.Subject {
    let generation: CoreGeneration
    let commands: TradingCommands

    init(_ generation: CoreGeneration, host: CoreHost) {
        self.generation = generation
        self.commands = TradingCommands(controller: generation.controller, hooks: TradingCommands.Hooks(
            flatten: { [engine = generation.engine] in engine.flattenAll() },
            cancelFlatten: { [engine = generation.engine] in engine.cancelFlatten() },
            chaos: { [weak host] mode, on in
                host?.toggle(mode, on: on, generation: generation)
                    ?? CommandResult.Draft(accepted: false, message: "Bulwark is stopping; the command was not carried out")
            }))
    }

    func halt(reason: String, actor: CommandActor) -> CommandResult.Draft {
        commands.halt(reason: reason, actor: actor)
    }

    func carryOut(_ command: ControlCommand, actor: CommandActor, commit: CommandQueue.Commit) async -> CommandResult.Draft {
        await commands.carryOut(command, actor: actor, commit: commit)
    }
}
