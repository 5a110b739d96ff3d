import Foundation
import Primitives
import TradingModel

/// `bulwark bench console`, first half: build a frame of the busy fixture (100 positions, 200 guard
/// rejections) with `ConsoleView.view` and diff it against the previous frame with `Frame.changes`, at
/// one terminal size. The model alternates between two versions a second apart (the header clock and a
/// few prices moved by a quote event), so every diff finds changed cells as it would in steady state.
public enum FrameBenchmark {
    public struct Result: Sendable {
        public var width: Int
        public var height: Int
        public var iterations: Int
        public var build: Percentiles
        public var diff: Percentiles
        public var total: Percentiles
        /// Build and diff in CPU time of this thread: without the time other processes had the core.
        public var totalCPU: Percentiles
        /// Changed runs and cells per diff, on average.
        public var runsPerDiff: Double
        public var cellsPerDiff: Double
    }

    public struct Percentiles: Sendable {
        public var p50: Duration
        public var p99: Duration
        public var max: Duration

        init(sorting samples: [Int64]) {
            let sorted = samples.sorted()
            func at(_ fraction: Double) -> Duration {
                .nanoseconds(sorted[Swift.min(sorted.count - 1, Int(Double(sorted.count) * fraction))])
            }
            p50 = at(0.5)
            p99 = at(0.99)
            max = .nanoseconds(sorted.last ?? 0)
        }
    }

    /// The two models the benchmark alternates between: the fixture, and the fixture one second later
    /// with new quotes for the first `movedPrices` positions.
    public static func models(positions: Int = 100, rejections: Int = 200, movedPrices: Int = 3) -> (ConsoleModel, ConsoleModel) {
        let first = ConsoleModel.benchmarkFixture(positions: positions, rejections: rejections, broker: .sim)
        let time = (first.live.clock ?? ConsoleModel.fixtureStart).advanced(by: .seconds(1))
        let quotes = first.live.positions.prefix(movedPrices).compactMap { row -> Quote? in
            guard let symbol = Symbol(row.symbol) else { return nil }
            let price = (row.last ?? row.averageEntry) + Decimal(string: "0.37")!
            return Quote(symbol: symbol, bid: price - Decimal(string: "0.01")!, ask: price + Decimal(string: "0.01")!, timestamp: time)
        }
        let event = Event(sequence: 1_000_000, timestamp: time, kind: .quotes(quotes))
        return (first, ConsoleUpdate.update(first, event: event))
    }

    /// Times `iterations` builds and diffs at `width`×`height` (after a short untimed warm-up).
    public static func run(
        iterations: Int, width: Int, height: Int, models: (ConsoleModel, ConsoleModel), glyphs: Glyphs = .unicode
    ) -> Result {
        precondition(iterations > 0 && width > 0 && height > 0)
        let size = (width: width, height: height)
        let pair = [models.0, models.1]
        var previous = ConsoleView.view(pair[1], size: size, glyphs: glyphs)
        for index in 0..<Swift.min(50, iterations) {
            let frame = ConsoleView.view(pair[index & 1], size: size, glyphs: glyphs)
            _ = frame.changes(since: previous)
            previous = frame
        }
        var build = [Int64](repeating: 0, count: iterations)
        var diff = [Int64](repeating: 0, count: iterations)
        var total = [Int64](repeating: 0, count: iterations)
        var totalCPU = [Int64](repeating: 0, count: iterations)
        var runs = 0
        var cells = 0
        let clock = ContinuousClock()
        // The warm-up ended on an odd index or none; start on the model that differs from `previous`.
        var next = Swift.min(50, iterations) & 1
        for index in 0..<iterations {
            let model = pair[next]
            let startCPU = threadCPUNanoseconds()
            let start = clock.now
            let frame = ConsoleView.view(model, size: size, glyphs: glyphs)
            let built = clock.now
            let changes = frame.changes(since: previous)
            let end = clock.now
            totalCPU[index] = threadCPUNanoseconds() - startCPU
            build[index] = (built - start).nanoseconds
            diff[index] = (end - built).nanoseconds
            total[index] = (end - start).nanoseconds
            runs += changes.count
            for run in changes { cells += run.cells.count }
            previous = frame
            next ^= 1
        }
        return Result(
            width: width, height: height, iterations: iterations,
            build: Percentiles(sorting: build), diff: Percentiles(sorting: diff), total: Percentiles(sorting: total),
            totalCPU: Percentiles(sorting: totalCPU),
            runsPerDiff: Double(runs) / Double(iterations), cellsPerDiff: Double(cells) / Double(iterations))
    }

    /// CPU time this thread has used, in nanoseconds.
    static func threadCPUNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
