import Foundation
import Testing

@testable import Console

/// Theme files that are not what they claim to be: refused at once, never read whole, never waited on.
struct ThemeFileTests {
    private static func folder() -> String {
        let path = NSTemporaryDirectory() + "/bulwark-theme-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private final class Outcome: @unchecked Sendable {
        let lock = NSLock()
        var text: String?
    }

    /// A FIFO in the place of a theme is refused within 10 s, naming the path and what it is.
    @Test func fifoThemeIsRefusedWithoutBlocking() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/fifo.theme"
        try #require(mkfifo(path, 0o600) == 0)
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Thread {
            let text: String
            do {
                _ = try Theme.load(file: path)
                text = "loaded"
            } catch {
                text = "\(error)"
            }
            outcome.lock.withLock { outcome.text = text }
            done.signal()
        }.start()
        if done.wait(timeout: .now() + 10) == .timedOut {
            // Release the stuck reader so the test ends.
            let fd = open(path, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
            _ = done.wait(timeout: .now() + 10)
            Issue.record("loading a FIFO theme blocked for 10 s")
            return
        }
        let text = outcome.lock.withLock { outcome.text } ?? ""
        #expect(text.contains(path) && text.contains("named pipe"), "\(text)")
    }

    /// A theme file over 1 MiB is refused from its size, with a message naming the limit.
    @Test func hugeThemeIsRefused() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/huge.theme"
        let comment = "# " + String(repeating: "x", count: 1000) + "\n"
        try String(repeating: comment, count: 2100).write(toFile: path, atomically: false, encoding: .utf8)
        do {
            _ = try Theme.load(file: path)
            Issue.record("a 2 MB theme was loaded")
        } catch {
            #expect("\(error)".contains(path) && "\(error)".contains("1 MiB"), "\(error)")
        }
    }
}
