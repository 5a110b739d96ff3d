import Engine
import Foundation
import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

/// A core generation as the command queue sees it, built from the state folder the way a generation is:
/// a store loaded from disk and the real `TradingCommands` over a `TradingController` whose re-check of
/// `FAILED_CONFIG` waits on the manual clock (the injected delay).
private struct QueueFixture: Sendable {
    let directory: String
    let clock: ManualClock
    let log = LogCapture()
    /// The flatten request the engine would act on.
    let flattenRequested = LockedBox(false)
    /// How long each re-check waits, and whether it passes (set by the test before each resume).
    let recheckDelay = LockedBox<Duration>(.milliseconds(200))
    let recheckPasses = LockedBox(true)
    /// Every result the queue gave, as it gave it.
    let answers = LockedBox<[CommandResult]>([])

    init(directory: String, clock: ManualClock = ManualClock()) {
        self.directory = directory
        self.clock = clock
    }

    func makeQueue() -> CommandQueue {
        let directory = directory
        let clock = clock
        let logger = log.logger
        let answers = answers
        return CommandQueue(
            haltWithoutSubject: { reason, actor in
                do throws(StateStoreError) {
                    let store = try StateStore(directory: directory, clock: clock, bus: nil, logger: logger)
                    try store.choose(.halted, reason: TradingCommands.reason(reason, actor), actor: actor.tradingActor)
                    return CommandResult.Draft(accepted: true, message: "trading HALTED (written to the state file)")
                } catch {
                    return CommandResult.Draft(accepted: false, message: error.message)
                }
            },
            answered: { result in answers.withLock { $0.append(result) } })
    }

    /// A subject loaded from disk, as a new generation is.
    func loadSubject() throws -> TradingCommands {
        let store = try StateStore(directory: directory, clock: clock, bus: nil, logger: log.logger)
        let clock = clock
        let delay = recheckDelay
        let passes = recheckPasses
        let controller = TradingController(
            store: store, logger: log.logger,
            rechecks: [
                .config: {
                    try? await clock.sleep(for: delay.value)
                    return passes.value ? nil : "credentials still refused"
                }
            ])
        let flatten = flattenRequested
        return TradingCommands(controller: controller, hooks: TradingCommands.Hooks(
            flatten: { flatten.value = true }, cancelFlatten: { flatten.value = false },
            chaos: { mode, on in CommandResult.Draft(accepted: true, message: "chaos \(mode.rawValue) \(on ? "on" : "off")") },
            close: { _ in }))
    }

    /// The trading state as a fresh load of the file sees it (what survives a crash now).
    func stateOnDisk() throws -> TradingStateLedger {
        try StateStore(directory: directory, clock: clock, bus: nil, logger: log.logger).state.trading
    }
}

/// Yields until `condition` holds; false after a real-time bound (a hang is a failure).
private func eventually(_ condition: () -> Bool) async -> Bool {
    let giveUp = ContinuousClock.now.advanced(by: .seconds(20))
    while !condition() {
        if ContinuousClock.now > giveUp { return false }
        await Task.yield()
    }
    return true
}

/// Waits for `tasks` while moving the manual clock to each sleeper's deadline; fails the test if they
/// are not all done within a real-time bound (a hang is a failure, not a stuck suite).
private func settle(_ tasks: [Task<CommandResult, Never>], clock: ManualClock) async -> [CommandResult] {
    let giveUp = ContinuousClock.now.advanced(by: .seconds(30))
    let done = LockedBox(0)
    var results: [CommandResult] = []
    await withTaskGroup(of: Void.self) { group in
        group.addTask {
            while done.value < tasks.count, ContinuousClock.now < giveUp {
                if let next = clock.nextDeadline { clock.advance(to: next) }
                await Task.yield()
            }
        }
        for task in tasks {
            results.append(await task.value)
            done.value += 1
        }
        await group.waitForAll()
    }
    return results
}

struct CommandQueueTests {
    /// Commands are carried out in arrival order, each with an increasing id, its actor and one result.
    @Test func commandsInArrivalOrderWithIDsAndActors() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = QueueFixture(directory: directory)
            let queue = fixture.makeQueue()
            try queue.install { try fixture.loadSubject() }
            let running = Task { await queue.run() }
            defer { running.cancel() }
            let ctl = CommandActor(kind: .ctl, detail: "uid 0 pid 42")
            let first = await queue.submit(.reduceOnly, from: ctl)
            let second = await queue.submit(.chaos(.latency, on: true), from: .console)
            let third = await queue.submit(.resume, from: .test)
            #expect(first.id < second.id && second.id < third.id)
            #expect(first.actor == ctl && second.actor == .console && third.actor == .test)
            #expect(first.accepted && second.accepted && third.accepted)
            #expect(try fixture.stateOnDisk().chosen.mode == .active)
            #expect(try fixture.stateOnDisk().chosen.reason == nil)
            #expect(fixture.answers.value.map(\.id) == [first.id, second.id, third.id])
        }
    }

    /// The issue's finding: resume, then halt 0.4 s later while the resume re-checks under latency.
    /// The halt is answered at once (durable), the resume is answered "superseded", and trading ends HALTED.
    @Test func haltDuringAResumesRecheckWins() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = QueueFixture(directory: directory)
            fixture.recheckDelay.value = .seconds(1)
            let queue = fixture.makeQueue()
            let subject = try queue.install { try fixture.loadSubject() }
            try subject.controller.store.hold(.config, reason: "FAILED_CONFIG: credentials refused")
            let running = Task { await queue.run() }
            defer { running.cancel() }

            let resume = Task { await queue.submit(.resume, from: .console) }
            #expect(await fixture.clock.waitForSleepers(1))  // the resume is re-checking
            fixture.clock.advance(by: .milliseconds(400))
            let halt = await queue.submit(.halt, from: .console)
            #expect(halt.accepted)
            #expect(try fixture.stateOnDisk().effective.mode == .halted)  // durable before the answer

            let resumed = await settle([resume], clock: fixture.clock)[0]
            #expect(!resumed.accepted)
            #expect(resumed.message.contains("superseded") && resumed.code == "command.superseded")
            #expect(resumed.id < halt.id)
            #expect(subject.controller.store.tradingState.mode == .halted)
            #expect(try fixture.stateOnDisk().chosen.mode == .halted)
        }
    }

    /// A resume still re-checking when its generation is torn down (supervisor_crash) cannot overwrite a halt
    /// written by the next generation: its late write (the re-check releasing a hold) was a whole-state
    /// write of the old store, which put the old ACTIVE choice back on disk under the new HALTED one.
    @Test func tornDownGenerationCannotOverwriteAHalt() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = QueueFixture(directory: directory)
            fixture.recheckDelay.value = .seconds(1)
            let queue = fixture.makeQueue()
            let old = try queue.install { try fixture.loadSubject() }
            try old.controller.store.hold(.config, reason: "FAILED_CONFIG: credentials refused")
            let running = Task { await queue.run() }
            defer { running.cancel() }

            let resume = Task { await queue.submit(.resume, from: .console) }
            #expect(await fixture.clock.waitForSleepers(1))  // the resume is re-checking on the old generation
            queue.uninstall()
            let next = try queue.install { try fixture.loadSubject() }
            let halt = await queue.submit(.halt, from: .console)
            #expect(halt.accepted)
            #expect(try fixture.stateOnDisk().chosen.mode == .halted)

            let resumed = await settle([resume], clock: fixture.clock)[0]  // the re-check passes and releases the hold
            #expect(!resumed.accepted, "\(resumed.message)")
            #expect(resumed.message.contains("restarted"), "\(resumed.message)")
            #expect(next.controller.store.tradingState.mode == .halted)
            #expect(try fixture.stateOnDisk().chosen.mode == .halted, "the torn-down generation's late write replaced the halt on disk")
        }
    }

    /// A halt with no generation in force is written to the state file at once, and applied to the next
    /// generation before anything reaches it; commands that arrive meanwhile wait and are served by it.
    @Test func haltAndCommandsBetweenGenerations() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = QueueFixture(directory: directory)
            let queue = fixture.makeQueue()
            let running = Task { await queue.run() }
            defer { running.cancel() }
            let chaos = Task { await queue.submit(.chaos(.latency, on: true), from: .console) }
            let halt = await queue.submit(.halt, from: .ctl(detail: "uid 0 pid 7"))
            #expect(halt.accepted)
            #expect(try fixture.stateOnDisk().chosen.mode == .halted)
            #expect(try fixture.stateOnDisk().chosen.reason?.contains("ctl, uid 0 pid 7") == true)

            let subject = try queue.install { try fixture.loadSubject() }
            #expect(subject.controller.store.tradingState.mode == .halted)
            let served = await chaos.value
            #expect(served.accepted)
            #expect(fixture.answers.value.count == 2)
        }
    }

    /// A reduce-only and a flatten queued behind a slow resume are cancelled by a halt that arrives after
    /// them; a resume sent after the halt is carried out (the operator's last word wins either way).
    @Test func queuedCommandsBeforeAHaltAreSuperseded() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = QueueFixture(directory: directory)
            let queue = fixture.makeQueue()
            let subject = try queue.install { try fixture.loadSubject() }
            try subject.controller.store.hold(.config, reason: "FAILED_CONFIG: test")
            let running = Task { await queue.run() }
            defer { running.cancel() }
            let resume = Task { await queue.submit(.resume, from: .console) }
            #expect(await fixture.clock.waitForSleepers(1))
            let reduce = Task { await queue.submit(.reduceOnly, from: .console) }
            let flatten = Task { await queue.submit(.flattenAll, from: .console) }
            #expect(await eventually { queue.waitingCount == 2 })
            _ = await queue.submit(.halt, from: .console)
            let results = await settle([resume, reduce, flatten], clock: fixture.clock)
            #expect(results.allSatisfy { !$0.accepted && $0.message.contains("superseded") })
            #expect(!fixture.flattenRequested.value)
            #expect(subject.controller.store.tradingState.mode == .halted)

            let after = await settle([Task { await queue.submit(.resume, from: .console) }], clock: fixture.clock)[0]
            #expect(after.accepted)
            #expect(subject.controller.store.tradingState.mode == .active)
        }
    }

    /// When the queue stops, every command still waiting, and every later one, is answered.
    @Test func stoppingAnswersEveryWaitingCommand() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = QueueFixture(directory: directory)
            let queue = fixture.makeQueue()
            let running = Task { await queue.run() }
            let waiting = Task { await queue.submit(.resume, from: .console) }
            #expect(await eventually { queue.waitingCount == 1 })
            running.cancel()
            await running.value
            let answer = await waiting.value
            #expect(!answer.accepted)
            #expect(answer.message.contains("stopping"))
            let late = await queue.submit(.reduceOnly, from: .console)
            #expect(!late.accepted)
            #expect(fixture.answers.value.count == 2)
        }
    }

    /// Model test: random interleavings of halt, resume, reduce-only, flatten and chaos from several
    /// senders, with a delay injected into every re-check (manual clock), system holds placed at random,
    /// generations torn down and loaded again from disk. Invariants: every command gets exactly one result
    /// with a distinct id; if the last state-changing command is a halt, trading is HALTED in memory and
    /// on disk and no flatten is pending; if it is an accepted resume, the operator's choice is ACTIVE.
    @Test(arguments: 0..<8)
    func randomInterleavingsKeepTheLastWord(batch: Int) async throws {
        for round in 0..<25 {
            let seed = UInt64(batch * 1000 + round)
            try await withTemporaryDirectory { directory in
                try await checkOneInterleaving(directory: directory, seed: seed)
            }
        }
    }

    private func checkOneInterleaving(directory: String, seed: UInt64) async throws {
        var random = SeededGenerator(seed: seed)
        let fixture = QueueFixture(directory: directory)
        let queue = fixture.makeQueue()
        let running = Task { await queue.run() }
        defer { running.cancel() }
        var subject: TradingCommands? = Bool.random(using: &random) ? try queue.install { try fixture.loadSubject() } : nil
        var tasks: [Task<CommandResult, Never>] = []
        let commands: [ControlCommand] = [.halt, .resume, .reduceOnly, .flattenAll, .chaos(.latency, on: true), .chaos(.latency, on: false)]
        for _ in 0..<Int.random(in: 6...14, using: &random) {
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5:
                let command = commands.randomElement(using: &random)!
                fixture.recheckDelay.value = .milliseconds(Int64.random(in: 0...800, using: &random))
                fixture.recheckPasses.value = Int.random(in: 0..<4, using: &random) > 0
                if case .halt = command {
                    tasks.append(Task { await queue.submit(.halt, from: .console) })
                } else {
                    tasks.append(Task { await queue.submit(command, from: .attach(detail: "uid 0 pid \(seed)")) })
                }
            case 5, 6:
                fixture.clock.advance(by: .milliseconds(Int64.random(in: 0...500, using: &random)))
            case 7:
                try subject?.controller.store.hold(.config, reason: "FAILED_CONFIG: refused (seed \(seed))")
            case 8:
                // supervisor_crash: the generation goes, the next one loads from disk.
                queue.uninstall()
                subject = nil
                for _ in 0..<Int.random(in: 0...3, using: &random) { await Task.yield() }
                subject = try queue.install { try fixture.loadSubject() }
            default:
                for _ in 0..<Int.random(in: 1...5, using: &random) { await Task.yield() }
            }
        }
        if subject == nil { subject = try queue.install { try fixture.loadSubject() } }
        let results = await settle(tasks, clock: fixture.clock)

        let answers = fixture.answers.value
        #expect(answers.count == tasks.count, "seed \(seed): \(answers.count) results for \(tasks.count) commands")
        #expect(Set(answers.map(\.id)).count == answers.count, "seed \(seed): a command was answered twice")
        #expect(Set(results.map(\.id)) == Set(answers.map(\.id)), "seed \(seed)")

        let changing = results.filter { $0.command.isSupersededByHalt || $0.command == .halt }.sorted { $0.id < $1.id }
        guard let last = changing.last, let store = subject?.controller.store else { return }
        let onDisk = try fixture.stateOnDisk()
        switch last.command {
        case .halt:
            #expect(store.tradingState.mode == .halted, "seed \(seed): last command halt, trading \(store.tradingState.mode)")
            #expect(store.state.trading.chosen.mode == .halted, "seed \(seed)")
            #expect(onDisk.chosen.mode == .halted, "seed \(seed): the halt is not on disk")
            #expect(!fixture.flattenRequested.value, "seed \(seed): a flatten survived the halt")
        case .resume where last.accepted:
            #expect(store.state.trading.chosen.mode == .active, "seed \(seed)")
            #expect(onDisk.chosen.mode == .active, "seed \(seed)")
        default:
            break
        }
    }
}

extension CommandActor {
    fileprivate static func ctl(detail: String) -> CommandActor { CommandActor(kind: .ctl, detail: detail) }
    fileprivate static func attach(detail: String) -> CommandActor { CommandActor(kind: .attach, detail: detail) }
}
