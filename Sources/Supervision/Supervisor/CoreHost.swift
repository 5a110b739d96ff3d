import Engine
import Logging
import Persistence
import Primitives
import ServiceLifecycle
import Synchronization
import TradingModel

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
///
/// It keeps the emergency reserve of file descriptors, when given one: when running out of descriptors
/// released it, `trading-bot` is DEGRADED naming the cause (logged and published), and once descriptors are
/// free again the reserve is taken back, the service is OK and a pending state write is tried at once.
/// `fd_exhaustion` takes every free descriptor for `DescriptorHog.standardHold`, then lets them go.
public final class CoreHost: Service {
    public typealias Build = @Sendable (_ number: Int) throws -> CoreGeneration

    private let registry: HealthRegistry
    private let chaos: ChaosSwitchboard
    private let bus: EventBus?
    private let clock: any WallClock
    private let logger: Logger
    private let build: Build
    private let reserve: DescriptorReserve?
    private let current = Mutex<CoreGeneration?>(nil)
    private let hog = DescriptorHog()
    /// While `fd_exhaustion` holds descriptors: when it lets them go, and the reserve's release count
    /// when it started (it keeps taking what comes free until the core has run out and released it).
    private let hogging = Mutex<(until: Timestamp, releases: Int)?>(nil)
    /// Every operator command, in arrival order; a halt at once.
    public let commands: CommandQueue
    /// Where the core runs: its own thread, so the state store's, journal's and health file's durable
    /// writes wait on the disk there and never hold a thread of the cooperative pool (nil: the pool).
    private let executor: (any TaskExecutor)?
    private let lifecycle = RunState("the core host", .once)

    /// `haltOnDisk` writes a halt straight into the state file when no generation is in force (before
    /// the first one is built, between generations after `supervisor_crash`). Every command's result is
    /// logged, written to `journal` (the audit trail) and published.
    public init(
        registry: HealthRegistry, chaos: ChaosSwitchboard, bus: EventBus?, clock: any WallClock, logger: Logger, journal: OrderJournal?,
        haltOnDisk: @escaping CommandQueue.HaltWithoutSubject, reserve: DescriptorReserve? = nil, executor: (any TaskExecutor)? = nil,
        build: @escaping Build
    ) {
        self.executor = executor
        self.registry = registry
        self.chaos = chaos
        self.bus = bus
        self.clock = clock
        self.logger = logger
        self.build = build
        self.reserve = reserve
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

    /// Runs the core until a graceful shutdown, on the host's executor. Once: a second call throws.
    /// (A halt sent from elsewhere is still written at once on its sender's thread, under the command
    /// queue's lock: it never waits for this executor.)
    public func run() async throws {
        try await lifecycle.running {
            try await withTaskExecutorPreference(executor) {
                registry.writeNow()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await self.commands.run() }
                    let changes = reserve?.changes()
                    group.addTask { await self.keepDescriptors(changes) }
                    defer { group.cancelAll() }
                    try await runGenerations()
                }
            }
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
            generation.supervisor.followHolds(of: generation.store, registry: registry)
            if number > 1 { chaosDone(.supervisorCrash, "core started again from disk (generation \(number))") }
            if number == 1, chaos.isOn(.fdExhaustion) { _ = seizeDescriptors() }
            let ending = await generation.supervisor.run()
            if ending == .shutdown {
                // Saved while still in force: a halt meanwhile goes through this store, after or before the
                // save, never beside it. Uninstalling retires the store; nothing more is written through it.
                do {
                    try generation.store.save()
                } catch {
                    logger.error("final save failed", metadata: ["error": "\(error.message)"])
                }
            }
            commands.uninstall()
            current.withLock { $0 = nil }
            switch ending {
            case .shutdown:
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
            return CommandResult.Draft.refused("", error)
        }
        if mode == .fdExhaustion, !on { releaseDescriptors() }
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
        case .fdExhaustion:
            return CommandResult.Draft(accepted: true, message: seizeDescriptors())
        case .alpacaDown, .invalidCreds, .uwDown, .rateLimit, .latency, .schemaDrift, .streamDrop:
            return CommandResult.Draft(accepted: true, message: "chaos \(mode.rawValue) on")
        }
    }

    /// One-shot modes switch themselves off once done.
    private func chaosDone(_ mode: ChaosMode, _ what: String) {
        guard chaos.isOn(mode) else { return }
        _ = try? chaos.set(mode, on: false)
        logger.notice("chaos \(mode.rawValue) done: \(what)")
    }

    // MARK: Descriptors

    /// Four times a second: gives the reserve back when no descriptor is left (before anything else meets
    /// the exhaustion), ends `fd_exhaustion` when its time is up and takes the reserve back once
    /// descriptors are free; and responds to every change of the reserve as it comes.
    private func keepDescriptors(_ changes: AsyncStream<DescriptorReserve.Change>?) async {
        await withTaskGroup(of: Void.self) { group in
            if let changes {
                group.addTask { for await change in changes { self.respond(to: change) } }
            }
            group.addTask {
                while !Task.isCancelled {
                    self.reserve?.releaseIfExhausted()
                    self.tendHog()
                    self.reserve?.refillIfFree()
                    do { try await self.clock.sleep(for: .milliseconds(250)) } catch { return }
                }
            }
        }
    }

    private func respond(to change: DescriptorReserve.Change) {
        switch change {
        case .released(let count, let cause):
            logger.warning(
                "out of file descriptors: the emergency reserve was released so trading can go on",
                metadata: ["cause": "\(cause)", "released": "\(count)"])
            registry.report(.tradingBot, from: .resources, status: .degraded, detail: "\(cause); emergency reserve in use", error: cause)
        case .retaken(let count):
            logger.notice("file descriptors free again: the emergency reserve is held again", metadata: ["held": "\(count)"])
            registry.report(.tradingBot, from: .resources, status: .ok)
            // A state write that failed once the reserve was spent is tried now, not at its backoff.
            _ = try? generation?.store.retryPendingWrite()
        }
    }

    /// `fd_exhaustion` on: every free descriptor taken, held for `DescriptorHog.standardHold`.
    private func seizeDescriptors() -> String {
        let count = hog.seize()
        let hold = DescriptorHog.standardHold
        let releases = reserve?.releases ?? 0
        hogging.withLock { $0 = (clock.now.advanced(by: hold), releases) }
        logger.warning("chaos fd_exhaustion: every free file descriptor taken", metadata: ["held": "\(count)", "seconds": "\(hold.wholeSeconds)"])
        return "chaos fd_exhaustion on: \(count) file descriptors taken, held for \(hold.wholeSeconds) s"
    }

    private func releaseDescriptors() {
        hogging.withLock { $0 = nil }
        let count = hog.release()
        if count > 0 { logger.notice("chaos fd_exhaustion: file descriptors let go", metadata: ["released": "\(count)"]) }
    }

    /// While `fd_exhaustion` holds: takes what came free (a closed connection, say) until the core has run
    /// out and released its reserve — which the hog then leaves alone — and lets go once its time is up.
    private func tendHog() {
        let now = clock.now
        guard let (until, releases) = hogging.withLock({ $0 }) else { return }
        guard now >= until else {
            if (reserve?.releases ?? 0) == releases { hog.seize() }
            return
        }
        releaseDescriptors()
        chaosDone(.fdExhaustion, "its file descriptors let go")
    }

    // MARK: Health → trading

    private func link(_ overall: OverallHealth, _ services: [ServiceHealth]) {
        guard overall.status == .failed, let reason = overall.reason, let store = generation?.store else { return }
        let code: HaltCode
        switch reason {
        case .config: code = .config
        case .apiSchema: code = .apiSchema
        case .restarts: code = .restarts
        case .reconciliation, .state, .journal, .service: return
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
                    ?? CommandQueue.stopping
            },
            close: { [engine = generation.engine] symbol in engine.close(symbol) }))
    }

    func halt(reason: String, actor: CommandActor) -> CommandResult.Draft {
        commands.halt(reason: reason, actor: actor)
    }

    func carryOut(_ command: ControlCommand, actor: CommandActor, commit: CommandQueue.Commit) async -> CommandResult.Draft {
        await commands.carryOut(command, actor: actor, commit: commit)
    }

    func retire() {
        commands.retire()
    }
}
