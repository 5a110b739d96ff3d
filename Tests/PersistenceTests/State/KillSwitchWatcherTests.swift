import Foundation
@testable import Persistence
import TestSupport
import Testing
import Primitives

struct KillSwitchWatcherTests {
    /// Polls `condition` until it holds or `seconds` of real time pass; the last result.
    private func waitUntil(within seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
        let giveUp = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1000)))
        while !condition() {
            guard ContinuousClock.now < giveUp else { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    /// With the watch running, state/HALT is held as soon as it appears (saved), released when removed,
    /// and a file created and removed at once is still seen; the watch ends when its task is cancelled.
    @Test func haltFileIsSeenAtOnce() async throws {
        try await withTemporaryDirectory { directory in
            let log = LogCapture()
            let store = try StateSamples.openStore(directory, log: log)
            let killSwitch = KillSwitch(store: store, logger: log.logger)
            let watcher = KillSwitchWatcher(killSwitch: killSwitch, logger: log.logger)
            let watching = Task { await watcher.run() }
            #expect(await waitUntil { log.contains("watching for the kill switch file") })

            #expect(FileManager.default.createFile(atPath: killSwitch.path, contents: nil))
            #expect(await waitUntil { store.tradingState.mode == .halted })
            #expect(StateSamples.decodedState(in: directory)?.tradingState.reason == KillSwitch.reason)
            try FileManager.default.removeItem(atPath: killSwitch.path)
            #expect(await waitUntil { store.tradingState.mode == .active })

            // Created and removed before the watch can look: the creation alone halts (then the removal releases).
            #expect(FileManager.default.createFile(atPath: killSwitch.path, contents: nil))
            try FileManager.default.removeItem(atPath: killSwitch.path)
            #expect(await waitUntil { log.lines.filter { $0.message.contains("kill switch engaged") }.count == 2 })
            #expect(await waitUntil { store.tradingState.mode == .active })

            watching.cancel()
            await watching.value
        }
    }

    /// The inotify records are read by name: HALT created (even if removed in the same batch) is an
    /// appearance, removed or touched is a change, other names are ignored, a removed folder ends the watch.
    @Test func readsInotifyRecords() {
        func record(_ mask: Int32, _ name: String) -> [UInt8] {
            let encoded = Array(name.utf8)
            let length = name.isEmpty ? 0 : (encoded.count / 16 + 1) * 16  // NUL-padded, as the kernel does
            var bytes: [UInt8] = []
            for word in [UInt32(1), UInt32(bitPattern: mask), 0, UInt32(length)] { withUnsafeBytes(of: word) { bytes += $0 } }
            return bytes + encoded + [UInt8](repeating: 0, count: length - encoded.count)
        }
        func changes(_ bytes: [UInt8]) -> KillSwitchWatcher.Change { KillSwitchWatcher.changes(in: bytes[...], named: "HALT") }
        #expect(changes(record(Int32(IN_CREATE), "HALT")) == .appeared)
        #expect(changes(record(Int32(IN_MOVED_TO), "HALT")) == .appeared)
        #expect(changes(record(Int32(IN_CREATE), "HALT") + record(Int32(IN_DELETE), "HALT")) == .appeared)
        #expect(changes(record(Int32(IN_DELETE), "HALT")) == .changed)
        #expect(changes(record(Int32(IN_ATTRIB), "HALT")) == .changed)
        #expect(changes(record(Int32(IN_CREATE), "trading_state.json.tmp")) == .none)
        #expect(changes(record(Int32(IN_CREATE), "HALTED")) == .none)
        #expect(changes(record(Int32(IN_IGNORED), "")) == .watchEnded)
    }
}
