import Primitives
import Synchronization
import TradingModel

/// The one ordered path every operator command takes into the core, whoever sent it (the in-process
/// console, an attached console, `bulwark ctl`).
///
/// Each command gets an id on arrival, in arrival order, and exactly one `CommandResult`. Commands are
/// carried out one at a time, in that order, against the subject in force (the core generation); those
/// that arrive while there is none (at start, between generations) wait for the next one.
///
/// A halt is the exception: it never waits. It is carried out at once, in the caller's task, written
/// durably before it is answered — by the subject in force, or by `haltWithoutSubject` when there is
/// none — and it cancels the effect of every command that arrived before it and has not yet taken
/// effect: a resume still re-checking, a queued reduce-only or flatten. Such a command is answered
/// "superseded". The rule that makes this hold: the halt's write, and the last write of any command a
/// halt can supersede, happen under one lock, and that write goes ahead only while no halt has arrived
/// after the command. So if the operator's last command is halt, trading ends HALTED.
public final class CommandQueue: Sendable {
    /// Carries out the commands of the queue; the core generation in production.
    public protocol Subject: Sendable {
        /// Halts trading durably, now (called under the queue's lock: synchronous, no waiting).
        func halt(reason: String, actor: CommandActor) -> CommandResult.Draft
        /// Carries out any other command. `commit` must wrap the write that makes the command take effect
        /// (the trading-state change, or the flatten request); it returns nil, without calling the write,
        /// when a halt has superseded the command.
        func carryOut(_ command: ControlCommand, actor: CommandActor, commit: Commit) async -> CommandResult.Draft
        /// It is no longer in force (called under the queue's lock): from now on it writes nothing durable,
        /// so a command of its still in flight cannot overwrite what the next subject or a halt writes.
        func retire()
    }

    /// Runs `write` unless a later halt has superseded the command, or the subject that carries it out
    /// is no longer in force (the generation was torn down meanwhile); nil when either happened.
    public struct Commit: Sendable {
        fileprivate let queue: CommandQueue
        fileprivate let id: UInt64
        fileprivate let subjectEpoch: UInt64

        public func callAsFunction<T: Sendable>(_ write: () -> T) -> T? {
            queue.state.withLock { state -> T? in
                guard state.lastHaltID < id, state.subjectEpoch == subjectEpoch else { return nil }
                return write()
            }
        }

        /// Whether the write would be refused now (a hint for long work; `callAsFunction` decides).
        public var isSuperseded: Bool { queue.state.withLock { $0.lastHaltID > id || $0.subjectEpoch != subjectEpoch } }

        /// Why a write was refused: the generation changed, or a later halt came.
        fileprivate var refusal: CommandResult.Draft {
            queue.state.withLock { $0.subjectEpoch != subjectEpoch } ? CommandQueue.restarted : CommandQueue.superseded
        }
    }

    private struct Waiting: Sendable {
        var id: UInt64
        var command: ControlCommand
        var actor: CommandActor
        var ticket: CommandTicket
    }

    private struct State: Sendable {
        var nextID: UInt64 = 1
        var lastHaltID: UInt64 = 0
        var subject: (any Subject)?
        /// Changes whenever a subject is installed or uninstalled.
        var subjectEpoch: UInt64 = 0
        /// A halt that arrived with no subject in force, applied to the next one when it is installed.
        var pendingHalt: (reason: String, actor: CommandActor)?
        var queued: [Waiting] = []
        /// The consumer waiting for a command, or for a subject.
        var wakeUp: CheckedContinuation<Void, Never>?
        var isFinished = false
    }

    /// Writes a halt durably when no subject is in force (straight into the state file); answers what
    /// was done.
    public typealias HaltWithoutSubject = @Sendable (_ reason: String, _ actor: CommandActor) -> CommandResult.Draft

    private let state = Mutex(State())
    private let haltWithoutSubject: HaltWithoutSubject
    private let answered: @Sendable (CommandResult) -> Void

    /// `answered` hears every result, once, as it is given (to log, journal and publish it).
    public init(haltWithoutSubject: @escaping HaltWithoutSubject, answered: @escaping @Sendable (CommandResult) -> Void = { _ in }) {
        self.haltWithoutSubject = haltWithoutSubject
        self.answered = answered
    }

    // MARK: Commands

    /// Carries out `command` in its turn (a halt at once) and returns its one result.
    public func submit(_ command: ControlCommand, from actor: CommandActor) async -> CommandResult {
        await enqueue(command, from: actor).result
    }

    /// Puts `command` in the queue now — its id is its place in the arrival order — and returns the
    /// ticket its one result comes on. A halt is carried out before this returns. A caller that must keep
    /// the order of several commands (the control socket, in the order its clients sent them) enqueues
    /// them one after the other and awaits the tickets later.
    public func enqueue(_ command: ControlCommand, from actor: CommandActor) -> CommandTicket {
        if case .halt = command {
            let result = halt(reason: "halted by the operator", actor: actor)
            return CommandTicket(answered: result)
        }
        let (ticket, refusedID): (CommandTicket, UInt64?) = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            let ticket = CommandTicket(id: id)
            guard !state.isFinished else { return (ticket, id) }
            state.queued.append(Waiting(id: id, command: command, actor: actor, ticket: ticket))
            state.wakeUp.take()?.resume()
            return (ticket, nil)
        }
        if let id = refusedID {
            ticket.fulfil(finish(Self.stopping, id: id, command: command, actor: actor))
        }
        return ticket
    }

    /// Halts now: durable before it returns, whatever else is in flight.
    public func halt(reason: String, actor: CommandActor) -> CommandResult {
        let (id, draft) = state.withLock { state -> (UInt64, CommandResult.Draft) in
            let id = state.nextID
            state.nextID += 1
            state.lastHaltID = id
            if let subject = state.subject {
                return (id, subject.halt(reason: reason, actor: actor))
            }
            state.pendingHalt = (reason, actor)
            return (id, haltWithoutSubject(reason, actor))
        }
        return finish(draft, id: id, command: .halt, actor: actor)
    }

    /// Commands waiting for their turn (not counting the one being carried out).
    public var waitingCount: Int { state.withLock { $0.queued.count } }

    // MARK: Subjects

    /// Makes the subject that `make` builds the one commands are carried out against. `make` runs under
    /// the queue's lock, so no halt is written beside it; a halt that arrived while there was no subject is
    /// applied to the new one before any command (or trading) reaches it.
    @discardableResult
    public func install<S: Subject, E: Error>(_ make: () throws(E) -> S) throws(E) -> S {
        try state.withLock { (state) throws(E) -> S in
            let subject = try make()
            state.subject = subject
            state.subjectEpoch += 1
            state.wakeUp.take()?.resume()
            if let halt = state.pendingHalt {
                state.pendingHalt = nil
                _ = subject.halt(reason: halt.reason, actor: halt.actor)
            }
            return subject
        }
    }

    /// No subject is in force (the generation was torn down): commands wait, a halt is written by
    /// `haltWithoutSubject`.
    public func uninstall() {
        state.withLock { state in
            state.subject?.retire()
            state.subject = nil
            state.subjectEpoch += 1
        }
    }

    // MARK: Running

    /// Carries out the queued commands in arrival order until cancelled; then answers every command
    /// still waiting (and every later one) "Bulwark is stopping".
    public func run() async {
        while !Task.isCancelled {
            guard let (next, subject, epoch) = await nextCommand() else { break }
            let commit = Commit(queue: self, id: next.id, subjectEpoch: epoch)
            var draft: CommandResult.Draft
            if commit.isSuperseded, next.command.isSupersededByHalt {
                draft = commit.refusal
            } else {
                draft = await subject.carryOut(next.command, actor: next.actor, commit: commit)
                if draft == Self.superseded { draft = commit.refusal }
            }
            next.ticket.fulfil(finish(draft, id: next.id, command: next.command, actor: next.actor))
        }
        let left = state.withLock { state in
            state.isFinished = true
            defer { state.queued.removeAll() }
            return state.queued
        }
        for waiting in left {
            waiting.ticket.fulfil(finish(Self.stopping, id: waiting.id, command: waiting.command, actor: waiting.actor))
        }
    }

    /// The answer for a command that came after the queue stopped, or was still waiting then.
    public static let stopping = CommandResult.Draft(accepted: false, message: "Bulwark is stopping; the command was not carried out", code: "command.stopping")

    /// The answer for a command a later halt cancelled.
    public static let superseded = CommandResult.Draft(accepted: false, message: "superseded by a later halt; trading stays HALTED", code: "command.superseded")
    /// The answer for a command whose generation was torn down while it ran (`supervisor_crash`).
    public static let restarted = CommandResult.Draft(
        accepted: false, message: "the core restarted while the command ran; nothing was changed; send it again", code: "command.restarted")

    private func nextCommand() async -> (Waiting, any Subject, UInt64)? {
        while true {
            let ready: (Waiting, any Subject, UInt64)?? = state.withLock { state in
                if state.isFinished { return .some(nil) }
                guard let subject = state.subject, !state.queued.isEmpty else { return nil }
                return .some((state.queued.removeFirst(), subject, state.subjectEpoch))
            }
            if let ready { return ready }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state in
                        if state.isFinished || Task.isCancelled || (state.subject != nil && !state.queued.isEmpty) { return true }
                        state.wakeUp = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                state.withLock { $0.wakeUp.take() }?.resume()
            }
            if Task.isCancelled { return nil }
        }
    }

    private func finish(_ draft: CommandResult.Draft, id: UInt64, command: ControlCommand, actor: CommandActor) -> CommandResult {
        let result = CommandResult(id: id, command: command, actor: actor, accepted: draft.accepted, message: draft.message, code: draft.code)
        answered(result)
        return result
    }
}

extension CommandResult {
    /// What a subject says of a command before the queue stamps it with its id and actor.
    public struct Draft: Hashable, Sendable {
        public var accepted: Bool
        public var message: String
        /// A refusal's stable code.
        public var code: String?

        public init(accepted: Bool, message: String, code: String? = nil) {
            self.accepted = accepted
            self.message = message
            self.code = code
        }

        /// A refusal for `error`: its operator text and its code.
        public static func refused(_ prefix: String, _ error: any Error) -> Draft {
            Draft(accepted: false, message: prefix + error.operatorText, code: error.operatorCode)
        }
    }
}
