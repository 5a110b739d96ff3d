import Foundation
import TestSupport
import Testing

/// `RECORD_MARKET=1` on a headless run over the embedded exchange, then `bulwark replay` of what it wrote.
struct RecordMarketTests {
    private static func recordings(_ folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/logs/market")) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { folder + "/logs/market/" + $0 }
    }

    private static func text(_ files: [String]) -> String {
        files.compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }.joined()
    }

    /// The run records the quotes it read and the alerts it received under logs/market/; after SIGTERM the
    /// files replay with exit 0.
    @Test func recordedRunReplays() async throws {
        let folder = TemporaryFolder()
        let binary = try RunningBinary(
            ["run", "--headless"], in: folder.path, environment: ["RECORD_MARKET": "1", "MIN_FLOW_PREMIUM_USD": "1", "UW_POLL_SECONDS": "1"])
        let recorded = try await eventually(within: 60) {
            let text = Self.text(Self.recordings(folder.path))
            return text.contains("{\"quote\":") && text.contains("{\"flow\":")
        }
        #expect(recorded, "nothing recorded within 60 s; stderr: \(binary.stderr.suffix(2000))")
        binary.send(SIGTERM)
        #expect(try await binary.exitStatus(within: 60) == 0, "\(binary.stderr.suffix(2000))")
        let files = Self.recordings(folder.path)
        #expect(files.first?.hasSuffix(".001.jsonl") == true, "\(files)")
        let replay = try await BinaryRunner.run(["replay"] + files, in: folder.path)
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.hasPrefix("Replay of "), "\(replay.stdout)")
    }
}
