import Foundation
import Testing

struct FixtureTests {
    /// The fixtures are byte-identical copies of shared/contracts (a sibling of the repository folder).
    @Test func fixturesMatchSharedContracts() throws {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let contracts = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/contracts")
        try #require(
            FileManager.default.fileExists(atPath: contracts.path),
            "shared/contracts is missing at \(contracts.path): the repository must sit beside shared/, as in /work/main and /work/shared")
        var compared = 0
        for folder in ["alpaca", "uw"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: contracts.appendingPathComponent(folder).path)
            for name in names where name.hasSuffix(".json") {
                let original = try Data(contentsOf: contracts.appendingPathComponent(folder).appendingPathComponent(name))
                let copy = try? Data(contentsOf: Fixtures.folder.appendingPathComponent(name))
                #expect(copy == original, "Fixtures/\(name) differs from shared/contracts/\(folder)/\(name): copy it again")
                compared += 1
            }
        }
        #expect(compared >= 11)
    }
}
