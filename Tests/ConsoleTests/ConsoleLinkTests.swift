import Console
import Foundation
import Synchronization
import TestSupport
import Testing
import TradingModel
import Primitives

/// `ConsoleLink`: connecting, forwarding, reconnecting, and the order commands go out in — against a
/// scripted connection and a manual clock.
struct ConsoleLinkTests {
    /// A connection whose inputs the test pushes and whose sends it answers by hand.
    final class FakeConnection: Sendable {
        let inputs: AsyncStream<ConsoleInput>
        let input: AsyncStream<ConsoleInput>.Continuation
        private let state = Mutex<(sent: [ControlCommand], waiting: [CheckedContinuation<CommandResult, Never>], closed: Bool)>(([], [], false))

        init() {
            (inputs, input) = AsyncStream.makeStream(of: ConsoleInput.self)
        }

        var sent: [ControlCommand] { state.withLock { $0.sent } }
        var closed: Bool { state.withLock { $0.closed } }

        var connection: ConsoleConnection {
            ConsoleConnection(
                inputs: inputs,
                send: { command in
                    await withCheckedContinuation { continuation in
                        self.state.withLock {
                            $0.sent.append(command)
                            $0.waiting.append(continuation)
                        }
                    }
                },
                close: { self.state.withLock { $0.closed = true } })
        }

        /// Answers the oldest unanswered command (as the core would, with an id).
        func answerOldest(id: UInt64 = 1) {
            let (continuation, command) = state.withLock { state in
                (state.waiting.isEmpty ? nil : state.waiting.removeFirst(), state.sent.first)
            }
            continuation?.resume(returning: CommandResult(id: id, command: command ?? .halt, accepted: true, message: "done"))
        }

        /// Answers every command still waiting, so no task is left hanging.
        func answerAll() {
            let waiting = state.withLock { state in
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume(returning: CommandResult(id: 9, command: .halt, accepted: true, message: "done")) }
        }
    }

    /// Collects what the link yields, for the test to wait on.
    final class Collected: Sendable {
        private let items = Mutex<[ConsoleInput]>([])
        var all: [ConsoleInput] { items.withLock { $0 } }
        func append(_ input: ConsoleInput) { items.withLock { $0.append(input) } }

        func waitFor(_ what: String, _ condition: @escaping @Sendable ([ConsoleInput]) -> Bool) async throws {
            let giveUp = ContinuousClock.now.advanced(by: .seconds(20))
            while !condition(all) {
                if ContinuousClock.now > giveUp {
                    Issue.record("no \(what) in time: \(all)")
                    throw CancellationError()
                }
                await Task.yield()
            }
        }
    }

    static func snapshot(_ sequence: UInt64) -> ControlSnapshot {
        ControlSnapshot(sequence: sequence, takenAt: Fixture.start, broker: "SIM", chaosLocked: false)
    }

    static func results(_ inputs: [ConsoleInput]) -> [CommandResult] {
        inputs.compactMap { input in
            if case .event(let event) = input, case .commandResult(let result) = event.kind { return result }
            return nil
        }
    }

    /// Nothing running: DISCONNECTED with the reason, retried on the clock (said once); once the instance
    /// answers, CONNECTED comes with its first snapshot, then its events; when it drops, DISCONNECTED again.
    @Test func reconnectsUntilConnected() async throws {
        let clock = ManualClock()
        let fake = FakeConnection()
        let attempts = Mutex(0)
        let link = ConsoleLink(clock: clock, retryInterval: .seconds(1)) {
            let attempt = attempts.withLock { count in
                count += 1
                return count
            }
            return attempt < 3 ? .failed("no Bulwark is running") : .connected(fake.connection)
        }
        let collected = Collected()
        let reading = Task { for await input in link.inputs { collected.append(input) } }
        let running = Task { await link.run() }
        try await collected.waitFor("disconnected") { $0.contains(.connection(.disconnected("no Bulwark is running"))) }
        #expect(collected.all.first == .connection(.connecting))
        for _ in 0..<2 {
            #expect(await clock.waitForSleepers())
            clock.advance(by: .seconds(1))
        }
        while attempts.withLock({ $0 }) < 3 { await Task.yield() }
        #expect(!collected.all.contains(.connection(.connected)), "connected before any snapshot")
        fake.input.yield(.snapshot(Self.snapshot(7)))
        let event = Event(sequence: 8, timestamp: Fixture.start, kind: .chaosMode(.latency, enabled: true))
        fake.input.yield(.event(event))
        try await collected.waitFor("the event") { $0.contains(.event(event)) }
        let disconnects = collected.all.filter { if case .connection(.disconnected) = $0 { return true } else { return false } }
        #expect(disconnects.count == 1, "the same failure is said once: \(collected.all)")
        let tail = Array(collected.all.suffix(3))
        #expect(tail == [.connection(.connected), .snapshot(Self.snapshot(7)), .event(event)])

        fake.input.yield(.connection(.disconnected("Bulwark stopped")))
        fake.input.finish()
        try await collected.waitFor("the drop") { $0.last == .connection(.disconnected("Bulwark stopped")) }
        #expect(fake.closed)
        running.cancel()
        await running.value
        await reading.value
    }

    /// Commands go out one at a time in the operator's order; a halt goes at once and drops the resume
    /// and reduce-only still waiting behind the command in flight (reported as not sent), but not chaos.
    @Test func haltOvertakesOnlyWhatItSupersedes() async throws {
        let clock = ManualClock()
        let fake = FakeConnection()
        let link = ConsoleLink(clock: clock) { .connected(fake.connection) }
        let collected = Collected()
        let reading = Task { for await input in link.inputs { collected.append(input) } }
        let running = Task { await link.run() }
        fake.input.yield(.snapshot(Self.snapshot(1)))
        try await collected.waitFor("connected") { $0.contains(.connection(.connected)) }

        link.send(.flattenAll)
        while fake.sent.count < 1 { await Task.yield() }
        link.send(.resume)
        link.send(.chaos(.latency, on: false))
        link.send(.reduceOnly)
        link.send(.halt)
        while fake.sent.count < 2 { await Task.yield() }
        #expect(fake.sent == [.flattenAll, .halt])
        try await collected.waitFor("two refusals") { Self.results($0).count == 2 }
        #expect(Self.results(collected.all).map(\.command) == [.resume, .reduceOnly])
        #expect(Self.results(collected.all).allSatisfy { !$0.accepted && $0.message.contains("superseded by the halt") })

        fake.answerOldest()
        while fake.sent.count < 3 { await Task.yield() }
        #expect(fake.sent == [.flattenAll, .halt, .chaos(.latency, on: false)])
        fake.answerAll()
        running.cancel()
        await running.value
        await reading.value
    }

    /// Not connected, a command is not sent and the console is told so.
    @Test func notConnectedIsReported() async throws {
        let clock = ManualClock()
        let link = ConsoleLink(clock: clock) { .failed("no Bulwark is running") }
        let collected = Collected()
        let reading = Task { for await input in link.inputs { collected.append(input) } }
        let running = Task { await link.run() }
        try await collected.waitFor("disconnected") { $0.count >= 2 }
        link.send(.resume)
        try await collected.waitFor("the refusal") { !Self.results($0).isEmpty }
        #expect(Self.results(collected.all).first?.message == "not sent: not connected to Bulwark")
        running.cancel()
        await running.value
        await reading.value
    }
}
