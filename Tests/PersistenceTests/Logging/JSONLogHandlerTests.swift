import Foundation
import Logging
@testable import Persistence
@testable import Primitives
import TestSupport
import Testing
@testable import TradingModel

struct JSONLogHandlerTests {
    private func lines(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// Each record is one JSON line with time from the injected clock, level, label, message and metadata,
    /// in a file created 0600 inside a folder created 0700.
    @Test func writesJSONLines() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/logs/bulwark.log"
        let file = try LogFile(path: path)
        let clock = ManualClock()
        let logger = Logger(label: "test") { label in
            JSONLogHandler(label: label, file: file, clock: clock, redactor: .none)
        }
        logger.info("hello \"world\"\nsecond line", metadata: ["symbol": "AAPL", "qty": "3", "nested": ["a": ["1", "2"]]])
        logger.debug("below the level")

        let records = try lines(path)
        #expect(records.count == 1)
        #expect(records[0]["ts"] as? String == clock.now.rfc3339)
        #expect(records[0]["level"] as? String == "info")
        #expect(records[0]["label"] as? String == "test")
        #expect(records[0]["message"] as? String == "hello \"world\"\nsecond line")
        let metadata = try #require(records[0]["metadata"] as? [String: Any])
        #expect(metadata["symbol"] as? String == "AAPL")
        #expect((metadata["nested"] as? [String: Any])?["a"] as? [String] == ["1", "2"])

        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        stat(folder.path + "/logs", &info)
        #expect(info.st_mode & 0o777 == 0o700)
    }

    /// Secrets in messages and metadata never reach the file or the bus.
    @Test func redactsSecrets() async throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/bulwark.log"
        let file = try LogFile(path: path)
        let secret = "SECRETSECRETSECRET98765"
        let bus = EventBus(clock: ManualClock())
        let subscription = bus.subscribe(name: "test")
        let logger = Logger(label: "test") { label in
            JSONLogHandler(label: label, file: file, clock: ManualClock(), redactor: Redactor(secrets: [Secret(secret)]), bus: bus)
        }
        logger.warning("key was \(secret)", metadata: ["header": "\(secret)"])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(secret))
        #expect(text.contains("SE…8765"))
        bus.finish()
        var forwarded: [String] = []
        for await event in subscription {
            if case .log(let line) = event.kind { forwarded.append(line.message) }
        }
        #expect(forwarded == ["key was [redacted SE…8765]"])
    }

    /// Only warnings and worse are forwarded to the bus.
    @Test func forwardsWarningsOnly() async throws {
        let folder = TemporaryFolder()
        let file = try LogFile(path: folder.path + "/bulwark.log")
        let bus = EventBus(clock: ManualClock())
        let subscription = bus.subscribe(name: "test")
        var logger = Logger(label: "svc") { label in
            JSONLogHandler(label: label, file: file, clock: ManualClock(), redactor: .none, bus: bus)
        }
        logger.logLevel = .trace
        logger.info("info")
        logger.notice("notice")
        logger.warning("warning")
        logger.error("error")
        bus.finish()
        var levels: [Logger.Level] = []
        for await event in subscription {
            if case .log(let line) = event.kind { levels.append(line.level) }
        }
        #expect(levels == [.warning, .error])
    }

    /// An existing log file with a loose mode is made private when opened.
    @Test func tightensExistingFile() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/bulwark.log"
        _ = FileManager.default.createFile(atPath: path, contents: Data("old\n".utf8), attributes: [.posixPermissions: 0o644])
        _ = try LogFile(path: path)
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
    }
}
