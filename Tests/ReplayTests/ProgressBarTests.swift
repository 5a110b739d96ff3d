import Foundation
import Replay
import Synchronization
import TestSupport
import Testing

struct ProgressBarTests {
    /// The bar's line: filled in proportion, the percent and the counts.
    @Test func lineShowsTheShare() {
        #expect(ProgressBar.line(label: "replay", done: 50, total: 200, width: 10) == "replay [##--------]  25% 50/200")
        #expect(ProgressBar.line(label: "tune", done: 3, total: 3, width: 4) == "tune [####] 100% 3/3")
    }

    /// A bar writes only when its line changes, in place, and clears itself at the end.
    @Test func writesOnlyChangesAndClears() {
        let written = Mutex<[String]>([])
        let bar = ProgressBar(label: "r") { text in written.withLock { $0.append(text) } }
        bar.update(done: 1, total: 2)
        bar.update(done: 1, total: 2)
        bar.update(done: 2, total: 2)
        bar.finish()
        let lines = written.withLock { $0 }
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("\r") == true)
        let width = ProgressBar.line(label: "r", done: 2, total: 2).count
        #expect(lines.last == "\r" + String(repeating: " ", count: width) + "\r")
    }

    /// A replay tells its progress, rising, and ends with all events done.
    @Test func replayReportsProgress() async throws {
        let folder = TemporaryFolder()
        folder.write("f.jsonl", ReplayFixture.recording)
        let recording = try RecordingReader().read(files: [folder.path + "/f.jsonl"])
        let run = try ReplayFolder()
        defer { run.remove() }
        let seen = Mutex<[Int]>([])
        _ = try await ReplaySession(settings: try ReplayFixture.settings(in: folder)).run(recording, directory: run.path) { done, total in
            seen.withLock { $0.append(done) }
            #expect(total == 9)
        }
        let done = seen.withLock { $0 }
        #expect(done.last == 9 && done == done.sorted() && done.count > 1)
    }
}
