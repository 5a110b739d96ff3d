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
/// A graceful shutdown ends the supervisor and saves the state once more. `supervisor_crash` tears the
/// supervisor down with no save and builds the next generation from disk.
public final class CoreHost: Service {
    public typealias Build = @Sendable (_ number: Int) async throws -> CoreGeneration

    private let registry: HealthRegistry
    private let chaos: ChaosSwitchboard
    private let bus: EventBus?
    private let clock: any WallClock
    private let logger: Logger
    private let build: Build
    private let current = Mutex<CoreGeneration?>(nil)

    public init(registry: HealthRegistry, chaos: ChaosSwitchboard, bus: EventBus?, clock: any WallClock, logger: Logger, build: @escaping Build) {
        self.registry = registry
        self.chaos = chaos
        self.bus = bus
        self.clock = clock
        self.logger = logger
        self.build = build
        registry.observeOverall { [weak self] overall, services in self?.link(overall, services) }
    }

    /// The generation in force, once the first is built.
    public var generation: CoreGeneration? { current.withLock { $0 } }

    public func run() async throws {
        registry.writeNow()
        var number = 1
        while true {
            let generation = try await build(number)
            current.withLock { $0 = generation }
            generation.store.observeTradingState { [registry] in registry.setTradingState($0) }
            if number > 1 { chaosDone(.supervisorCrash, "core started again from disk (generation \(number))") }
            switch await generation.supervisor.run() {
            case .shutdown:
                do {
                    try generation.store.save()
                } catch {
                    logger.error("final save failed", metadata: ["error": "\(error.message)"])
                }
                logger.notice("core stopped", metadata: ["pending_intents": "\(generation.store.state.pendingIntents.count)"])
                return
            case .crashed:
                guard !Task.isCancelled, !Task.isShuttingDownGracefully else { return }
                number += 1
            }
        }
    }

    // MARK: Commands

    /// Carries out `command` against the generation in force; the answer is also published and logged.
    @discardableResult
    public func perform(_ command: ControlCommand) async -> CommandResult {
        let result = await carryOut(command)
        logger.log(
            level: result.accepted ? .notice : .warning, "operator command \(result.accepted ? "done" : "refused")",
            metadata: ["command": "\(command)", "result": "\(result.message)"])
        bus?.publish(.commandResult(result))
        return result
    }

    private func carryOut(_ command: ControlCommand) async -> CommandResult {
        guard let generation else {
            return CommandResult(command: command, accepted: false, message: "the core is still starting; try again")
        }
        switch command {
        case .halt:
            return answer(command, generation.controller.halt())
        case .resume:
            return answer(command, await generation.controller.resume())
        case .reduceOnly:
            return answer(command, await generation.controller.reduceOnly())
        case .flattenAll:
            generation.engine.flattenAll()
            return CommandResult(command: command, accepted: true, message: "every position will be closed, as exits through the guard")
        case .quit:
            return CommandResult(command: command, accepted: true, message: "shutting down: services stopped, state saved")
        case .chaos(let mode, let on):
            return toggle(mode, on: on, generation: generation, command: command)
        }
    }

    private func toggle(_ mode: ChaosMode, on: Bool, generation: CoreGeneration, command: ControlCommand) -> CommandResult {
        do {
            guard try chaos.set(mode, on: on) else {
                return CommandResult(command: command, accepted: true, message: "chaos \(mode.rawValue) was already \(on ? "on" : "off")")
            }
        } catch {
            return CommandResult(command: command, accepted: false, message: error.message)
        }
        guard on else { return CommandResult(command: command, accepted: true, message: "chaos \(mode.rawValue) off") }
        switch mode {
        case .supervisorCrash:
            generation.supervisor.crash()
            return CommandResult(command: command, accepted: true, message: "supervisor torn down; the core starts again from disk")
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
            return CommandResult(command: command, accepted: true, message: message)
        case .alpacaDown, .invalidCreds, .uwDown, .rateLimit, .latency, .schemaDrift:
            return CommandResult(command: command, accepted: true, message: "chaos \(mode.rawValue) on")
        }
    }

    /// One-shot modes switch themselves off once done.
    private func chaosDone(_ mode: ChaosMode, _ what: String) {
        guard chaos.isOn(mode) else { return }
        _ = try? chaos.set(mode, on: false)
        logger.notice("chaos \(mode.rawValue) done: \(what)")
    }

    private func answer(_ command: ControlCommand, _ outcome: TradingController.Outcome) -> CommandResult {
        switch outcome {
        case .changed(let state):
            return CommandResult(command: command, accepted: true, message: "trading \(state.mode.rawValue)" + (state.reason.map { ": \($0)" } ?? ""))
        case .unchanged(let state):
            return CommandResult(command: command, accepted: true, message: "trading already \(state.mode.rawValue)")
        case .stillHalted(let state, let failing):
            return CommandResult(
                command: command, accepted: false, message: "still \(state.mode.rawValue): " + failing.joined(separator: "; "))
        case .notSaved(let error):
            return CommandResult(command: command, accepted: false, message: "not saved: \(error.message)")
        }
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
