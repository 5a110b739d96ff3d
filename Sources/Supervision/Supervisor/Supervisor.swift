import Logging
import Primitives
import ServiceLifecycle
import Synchronization
import TradingModel

/// Runs the services in one task group and keeps them honest with the health registry.
///
/// A service that throws, or returns while nothing asked it to stop, is restarted after a backoff (1 s
/// doubling to 60 s) until `RestartIntensity` gives up — `maxRestarts` failures within the window —
/// and then it is FAILED with reason FAILED_RESTARTS and left stopped while the others go on — a critical
/// service until the operator revives it, a supportive one until a cool-off has passed (`Policy.coolOff`,
/// 10 minutes, doubling each time it is given up again), when it is tried afresh — or at once when its
/// cause is gone (`causeGone`, e.g. a failed state write went through, or its own `Child.causeCheck`,
/// e.g. its port is free again). A failure
/// classified AUTH or SCHEMA is not restarted at all (FAILED_CONFIG / FAILED_API_SCHEMA): retrying a
/// persistent fault only loops. `revive` restarts stopped services once the operator has fixed the cause.
///
/// A graceful shutdown (from the service group around it) reaches every service through the task
/// group; `run()` then returns `.shutdown`. `crash()` tears everything down at once, without any
/// graceful step — the chaos mode `supervisor_crash` — and `run()` returns `.crashed`.
public final class Supervisor: Sendable {
    public struct Child: Sendable {
        public var name: ServiceName
        public var service: any Service
        /// A cheap look at whether the cause of its failures is gone (the port it listens on is free, the
        /// folder it writes in takes writes): words saying so, or nil. Asked every
        /// `Policy.causeCheckInterval` while it cools off after being given up; the cool-off ends at once
        /// when it answers.
        public var causeCheck: (@Sendable () -> String?)?

        public init(name: ServiceName, service: any Service, causeCheck: (@Sendable () -> String?)? = nil) {
            self.name = name
            self.service = service
            self.causeCheck = causeCheck
        }
    }

    public struct Policy: Sendable, Hashable {
        public var maxRestarts: Int
        public var window: Duration
        public var initialBackoff: Duration
        public var maximumBackoff: Duration
        /// How long a given-up supportive service rests before it is tried again; doubled at each give-up.
        public var coolOff: Duration
        public var maximumCoolOff: Duration
        /// How often a cooling-off child's `causeCheck` is asked.
        public var causeCheckInterval: Duration = .seconds(10)

        public init(
            maxRestarts: Int, window: Duration, initialBackoff: Duration = .seconds(1), maximumBackoff: Duration = .seconds(60),
            coolOff: Duration = .seconds(600), maximumCoolOff: Duration = .seconds(6 * 3600)
        ) {
            self.coolOff = coolOff
            self.maximumCoolOff = maximumCoolOff
            self.maxRestarts = maxRestarts
            self.window = window
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
        }
    }

    public enum Ending: Sendable, Hashable {
        case shutdown
        case crashed
    }

    private enum Message: Sendable {
        case crash
        case revive(Set<FailureReason>, reply: @Sendable ([ServiceName]) -> Void)
        case causeGone(String)
    }

    private enum Result: Sendable {
        case ended(ServiceName, (any Error)?)
        case skipped(ServiceName)
        case message(Message)
        case mailboxClosed
    }

    private struct Tracking {
        var intensity: [ServiceName: RestartIntensity] = [:]
        /// Services not running and not to be restarted, with why.
        var stopped: [ServiceName: FailureReason] = [:]
        /// Given-up services waiting out a cool-off, each with the token of its scheduled retry.
        var coolingOff: [ServiceName: Int] = [:]
        var coolOffTokens = 0
    }

    /// When and why a failed service is started again; `coolOff` is the token of a retry after giving up.
    private struct Restart {
        var delay: Duration
        var reason: String
        var coolOff: Int?
    }

    private let children: [Child]
    private let registry: HealthRegistry
    private let policy: Policy
    private let clock: any WallClock
    private let logger: Logger
    private let mailbox = Mailbox<Message>()
    private let tracking = Mutex(Tracking())

    public init(children: [Child], registry: HealthRegistry, policy: Policy, clock: any WallClock, logger: Logger) {
        self.children = children
        self.registry = registry
        self.policy = policy
        self.clock = clock
        self.logger = logger
    }

    /// Services given up or stopped for a persistent fault, with why.
    public var stopped: [ServiceName: FailureReason] { tracking.withLock { $0.stopped } }

    /// Tears the supervisor down now, without graceful shutdown (chaos `supervisor_crash`).
    public func crash() {
        mailbox.send(.crash)
    }

    /// Restarts the stopped services whose reason is in `reasons` (their failure count starts afresh);
    /// returns their names. Called on the operator's resume, once the cause has been re-checked.
    public func revive(_ reasons: Set<FailureReason>) async -> [ServiceName] {
        await withCheckedContinuation { continuation in
            mailbox.send(.revive(reasons, reply: { continuation.resume(returning: $0) }))
        }
    }

    /// Ends at once the cool-off of every given-up supportive service and starts it again (counted as a
    /// restart, with `cause` in its reason): what made it fail is gone — e.g. the state folder is
    /// writable again after a disk-full episode. If it fails again it is given up again as before.
    public func causeGone(_ cause: String) {
        mailbox.send(.causeGone(cause))
    }

    /// Runs every service until a graceful shutdown (`.shutdown`) or `crash()` (`.crashed`).
    public func run() async -> Ending {
        await withTaskGroup(of: Result.self) { group in
            var running = 0
            for child in children {
                start(child, after: nil, in: &group)
                running += 1
            }
            listen(in: &group)
            while let result = await group.next() {
                switch result {
                case .message(.crash):
                    logger.critical("supervisor torn down without graceful shutdown (chaos supervisor_crash)")
                    group.cancelAll()
                    return .crashed
                case .message(.revive(let reasons, let reply)):
                    let revived = tracking.withLock { tracking -> [ServiceName] in
                        let names = tracking.stopped.filter { reasons.contains($0.value) }.map(\.key)
                        for name in names {
                            tracking.stopped[name] = nil
                            tracking.coolingOff[name] = nil
                            tracking.intensity[name]?.reset()
                        }
                        return names
                    }
                    for child in children where revived.contains(child.name) {
                        logger.notice("service revived by the operator", metadata: ["service": "\(child.name)"])
                        start(child, after: nil, in: &group)
                        running += 1
                    }
                    reply(revived)
                    listen(in: &group)
                case .message(.causeGone(let cause)):
                    let now = clock.now
                    let retried = tracking.withLock { tracking -> [ServiceName] in
                        let names = Array(tracking.coolingOff.keys)
                        for name in names {
                            tracking.coolingOff[name] = nil
                            tracking.stopped[name] = nil
                            tracking.intensity[name]?.retryEarly(at: now)
                        }
                        return names
                    }
                    for child in children where retried.contains(child.name) {
                        logger.notice("given-up service tried again at once: its cause is gone", metadata: ["service": "\(child.name)", "cause": "\(cause)"])
                        start(child, after: .zero, reason: "tried again at once: \(cause)", in: &group)
                        running += 1
                    }
                    listen(in: &group)
                case .mailboxClosed:
                    break
                case .skipped:
                    running -= 1
                case .ended(let name, let error):
                    running -= 1
                    if Task.isShuttingDownGracefully || Task.isCancelled {
                        logger.info("service stopped", metadata: ["service": "\(name)"])
                    } else if let child = children.first(where: { $0.name == name }), let restart = failed(name, error) {
                        start(child, after: restart.delay, reason: restart.reason, coolOff: restart.coolOff, in: &group)
                        running += 1
                    }
                }
                if running == 0, Task.isShuttingDownGracefully || Task.isCancelled {
                    group.cancelAll()
                    return .shutdown
                }
            }
            return .shutdown
        }
    }

    /// Waits for the next message; a graceful shutdown ends the wait, so a supervisor whose services
    /// are all stopped still notices it.
    private func listen(in group: inout TaskGroup<Result>) {
        group.addTask {
            let message = await cancelWhenGracefulShutdown { await self.mailbox.next() }
            return message.map(Result.message) ?? .mailboxClosed
        }
    }

    /// Runs `child`, after `delay` when it is a restart (then counted, with `reason`). It is STARTING until
    /// its own first report: the supervisor never says a service is OK. A retry after a cool-off (`coolOff`,
    /// its token) is skipped if the service was revived meanwhile.
    private func start(_ child: Child, after delay: Duration?, reason: String? = nil, coolOff: Int? = nil, in group: inout TaskGroup<Result>) {
        group.addTask {
            if let delay {
                let cause: String?
                do {
                    cause = try await cancelWhenGracefulShutdown { try await self.wait(delay, for: child, coolingOff: coolOff != nil) }
                } catch {
                    return .skipped(child.name)
                }
                guard !Task.isShuttingDownGracefully else { return .skipped(child.name) }
                if let coolOff, !self.endCoolOff(child.name, token: coolOff, early: cause != nil) { return .skipped(child.name) }
                if let cause {
                    self.logger.notice("given-up service tried again at once: its cause is gone", metadata: ["service": "\(child.name)", "cause": "\(cause)"])
                }
                self.registry.starting(child.name, restartReason: cause.map { "tried again at once: \($0)" } ?? reason ?? "failed")
                self.logger.notice("service restarted", metadata: ["service": "\(child.name)"])
            } else {
                self.registry.starting(child.name)
            }
            do {
                try await child.service.run()
                return .ended(child.name, nil)
            } catch {
                return .ended(child.name, error)
            }
        }
    }

    /// A failure in words: the error's own description, or that the service returned.
    private static func describe(_ error: (any Error)?) -> String {
        error.map(\.operatorText) ?? "returned unexpectedly"
    }

    /// Whether the cool-off `token` of `name` is still the one in force; if so it ends (the service is no
    /// longer stopped) and the retry goes ahead; `early` when its cause check cut it short.
    private func endCoolOff(_ name: ServiceName, token: Int, early: Bool = false) -> Bool {
        let now = clock.now
        return tracking.withLock { tracking in
            guard tracking.coolingOff[name] == token else { return false }
            tracking.coolingOff[name] = nil
            tracking.stopped[name] = nil
            if early { tracking.intensity[name]?.retryEarly(at: now) }
            return true
        }
    }

    /// Sleeps `delay`. A cool-off of a child with a cause check is slept in steps of
    /// `causeCheckInterval`, the check asked after each, and cut short when it says the cause is gone:
    /// then its words are returned. Only a change counts: a check that says "gone" from the start of the
    /// cool-off (the failures had another cause) never cuts it short, so it cannot become a restart loop.
    private func wait(_ delay: Duration, for child: Child, coolingOff: Bool) async throws -> String? {
        guard coolingOff, let check = child.causeCheck, policy.causeCheckInterval > .zero else {
            try await clock.sleep(for: delay)
            return nil
        }
        var seenPresent = check() == nil
        var left = delay
        while left > .zero {
            let step = min(left, policy.causeCheckInterval)
            try await clock.sleep(for: step)
            left -= step
            guard left > .zero else { break }
            let cause = check()
            if seenPresent, let cause { return cause }
            if cause == nil { seenPresent = true }
        }
        return nil
    }

    /// Records a failure of `name`: returns when and why it is restarted, or nil when it stays stopped.
    private func failed(_ name: ServiceName, _ error: (any Error)?) -> Restart? {
        let message = Self.describe(error)
        if let error, let reason = APIErrorClass(classifying: error).failureReason {
            tracking.withLock { $0.stopped[name] = reason }
            registry.report(
                name, from: .supervisor, status: .failed, detail: "stopped, not restarted (\(reason.rawValue)): \(message)", reason: reason,
                error: message, errorCode: error.operatorCode)
            logger.error("service failed on a persistent fault; not restarted", metadata: ["service": "\(name)", "reason": "\(reason.rawValue)", "error": "\(message)"])
            return nil
        }
        let now = clock.now
        let action = tracking.withLock { tracking in
            var intensity = tracking.intensity[name] ?? {
                var fresh = RestartIntensity(maxRestarts: policy.maxRestarts, window: policy.window, initialBackoff: policy.initialBackoff, maximumBackoff: policy.maximumBackoff)
                fresh.initialCoolOff = policy.coolOff
                fresh.maximumCoolOff = policy.maximumCoolOff
                return fresh
            }()
            let action = intensity.recordFailure(at: now)
            tracking.intensity[name] = intensity
            if case .giveUp = action { tracking.stopped[name] = .restarts }
            return action
        }
        switch action {
        case .restart(let delay):
            registry.report(
                name, from: .supervisor, status: .degraded, detail: "failed; restarting in \(delay.wholeSeconds) s", error: message,
                errorCode: error?.operatorCode)
            logger.warning("service failed; restarting", metadata: ["service": "\(name)", "error": "\(message)", "backoff_s": "\(delay.wholeSeconds)"])
            return Restart(delay: delay, reason: "after a failure: \(message)")
        case .giveUp(let failures):
            let minutes = policy.window.wholeSeconds / 60
            if registry.service(name)?.isCritical == false { return coolOff(name, failures: failures, error: message, at: now) }
            registry.report(
                name, from: .supervisor, status: .failed,
                detail: "given up after \(failures) failures in \(minutes) min", reason: .restarts, error: message,
                errorCode: error?.operatorCode)
            logger.critical("service given up: too many failures", metadata: ["service": "\(name)", "failures": "\(failures)", "error": "\(message)"])
            return nil
        }
    }

    /// A supportive service given up: FAILED (FAILED_RESTARTS) while it cools off, then tried afresh.
    private func coolOff(_ name: ServiceName, failures: Int, error message: String, at now: Timestamp) -> Restart {
        let (wait, token) = tracking.withLock { tracking -> (Duration, Int) in
            let wait = tracking.intensity[name]?.scheduleRetry(givenUpAt: now) ?? policy.coolOff
            tracking.coolOffTokens += 1
            tracking.coolingOff[name] = tracking.coolOffTokens
            return (wait, tracking.coolOffTokens)
        }
        let minutes = policy.window.wholeSeconds / 60
        let coolOffMinutes = wait.wholeSeconds / 60
        registry.report(
            name, from: .supervisor, status: .failed,
            detail: "given up after \(failures) failures in \(minutes) min; tried again in \(coolOffMinutes) min, at \(now.advanced(by: wait).rfc3339)",
            reason: .restarts, error: message)
        logger.error(
            "service given up: too many failures; it is tried again after a cool-off",
            metadata: ["service": "\(name)", "failures": "\(failures)", "error": "\(message)", "cool_off_min": "\(coolOffMinutes)"])
        return Restart(delay: wait, reason: "tried again after a cool-off of \(coolOffMinutes) min (given up after \(failures) failures)", coolOff: token)
    }
}
