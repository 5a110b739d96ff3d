import Foundation
import TestSupport
import Testing

/// A short run of the fuzzer behind `make fuzz`.
struct FuzzSmokeTests {
    /// 2,000 mutated `.env` files and state files: each comes back as a value or a described problem.
    @Test func shortFuzzRunEndsCleanly() {
        let folder = TemporaryFolder()
        var fuzzer = Fuzzer(seed: 7, folder: folder.path)
        let report = fuzzer.run(iterations: 2_000, budget: .seconds(120))
        #expect(report.envFiles > 0 && report.stateFiles > 0, "\(report)")
        print("fuzz smoke: \(report)")
    }
}
