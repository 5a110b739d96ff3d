import Foundation
import Persistence
import TestSupport
import Testing

struct StateBenchmarkTests {
    /// A short benchmark run measures both medians, computes their ratio and cleans up after itself.
    @Test func shortRunReportsMedians() throws {
        try withTemporaryDirectory { directory in
            let result = try StateBenchmark.run(saves: 15, positions: 5, directory: directory)
            #expect(result.saves == 15 && result.positions == 5)
            #expect(result.medianSave > .zero && result.medianBareWrite > .zero)
            #expect(result.ratio > 0)
            #expect(result.fileBytes > 500)
            #expect(result.description.contains("ratio"))
            #expect(StateSamples.files(in: directory, prefix: "bench").isEmpty)
        }
    }
}
