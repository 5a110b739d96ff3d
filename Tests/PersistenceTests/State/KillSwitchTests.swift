import Foundation
import Persistence
import TestSupport
import Testing
import Primitives

struct KillSwitchTests {
    /// While state/HALT exists trading is halted with the kill-switch reason (saved too); removing it lifts
    /// that halt only.
    @Test func haltFileHaltsWhileItExists() throws {
        try withTemporaryDirectory { directory in
            let log = LogCapture()
            let store = try StateSamples.openStore(directory, log: log)
            let killSwitch = KillSwitch(store: store, logger: log.logger)
            #expect(killSwitch.path == directory + "/HALT")
            #expect(!killSwitch.check())
            #expect(store.tradingState.mode == .active)

            // Created by anyone, e.g. `touch state/HALT`.
            #expect(FileManager.default.createFile(atPath: killSwitch.path, contents: nil))
            #expect(killSwitch.check())
            #expect(store.tradingState.mode == .halted)
            #expect(store.tradingState.reason == "kill switch file state/HALT")
            #expect(StateSamples.decodedState(in: directory)?.tradingState.reason == KillSwitch.reason)
            #expect(killSwitch.check(), "stays engaged on every tick")
            #expect(log.contains("kill switch engaged"))

            try store.choose(.reducing, reason: "operator: wind down")
            #expect(store.tradingState.mode == .halted, "the operator cannot resume over the kill switch")

            try FileManager.default.removeItem(atPath: killSwitch.path)
            #expect(!killSwitch.check())
            #expect(store.tradingState.mode == .reducing)
        }
    }

    /// The kill switch survives a restart: the halt is saved, and the file still holds it.
    @Test func haltSurvivesRestart() throws {
        try withTemporaryDirectory { directory in
            let store = try StateSamples.openStore(directory)
            let killSwitch = KillSwitch(store: store, logger: LogCapture().logger)
            try killSwitch.engage()
            #expect(StateSamples.mode(of: killSwitch.path) == 0o600)
            let reopened = try StateSamples.openStore(directory)
            #expect(reopened.tradingState.reason == KillSwitch.reason)
            #expect(KillSwitch(store: reopened, logger: LogCapture().logger).check())
        }
    }
}
