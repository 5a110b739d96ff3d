import Foundation
import Logging
import Primitives

/// `bulwark bench state`: what a full state save costs next to the bare I/O it cannot avoid.
///
/// In one run it times `saves` saves of a state with `positions` open positions through `StateStore`
/// (change, validate, encode, checksum, write, fsync, rename, fsync folder) and, interleaved, the same
/// number of bare writes of the same bytes (write, fsync, rename, fsync folder) to a neighbour file, so
/// both see the same disk. The goal is a ratio of at most 1.5.
public enum StateBenchmark {
    public struct Result: Sendable, Hashable, CustomStringConvertible {
        public var saves: Int
        public var positions: Int
        public var fileBytes: Int
        public var medianSave: Duration
        public var medianBareWrite: Duration
        /// `medianSave / medianBareWrite`.
        public var ratio: Double
        public static let goal = 1.5

        public var description: String {
            let verdict = ratio <= Self.goal ? "within" : "over"
            return "state save: median \(micros(medianSave)) µs; bare write+fsync+rename+fsync: median \(micros(medianBareWrite)) µs; "
                + "ratio \((ratio * 100).rounded() / 100) (\(verdict) the goal of \(Self.goal)); \(saves) saves of \(fileBytes) bytes, \(positions) positions"
        }

        private func micros(_ duration: Duration) -> Int64 {
            let (seconds, attoseconds) = duration.components
            return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        }
    }

    /// Runs in `directory` (created 0700 if needed), in a subfolder it removes afterwards.
    public static func run(saves: Int = 1000, positions: Int = 50, directory: String) throws(StateStoreError) -> Result {
        precondition(saves > 0 && (0..<1_000_000_000).contains(positions), "the benchmark needs at least one save and fewer than 10⁹ positions")
        let folder = directory + "/bench-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clock = SystemClock()
        let store = try StateStore(directory: folder, clock: clock, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let start = clock.now
        try store.update { state in
            for index in 0..<positions {
                let symbol = Symbol("S\(index)")!
                state.positions[symbol] = Position(
                    symbol: symbol, quantity: Decimal(index + 1), averageEntryPrice: Decimal(string: "187.25")! + Decimal(index),
                    openedAt: start)
                state.lastTradeAt[symbol] = start
            }
        }
        let barePath = folder + "/bare.json"
        let timer = ContinuousClock()
        var saveTimes: [Duration] = []
        var bareTimes: [Duration] = []
        saveTimes.reserveCapacity(saves)
        bareTimes.reserveCapacity(saves)
        var fileBytes = 0
        for index in 0..<saves {
            let symbol = Symbol("S\(positions == 0 ? 0 : index % positions)")!
            let began = timer.now
            try store.update { state in
                state.lastFlowAlertID = "bench-\(index)"
                if var position = state.positions[symbol] {
                    position.quantity += 1
                    state.positions[symbol] = position
                }
            }
            saveTimes.append(began.duration(to: timer.now))

            let bytes = StateFileFormat.encode(store.state, savedAt: clock.now)
            fileBytes = bytes.count
            let bareBegan = timer.now
            try AtomicFile.write(bytes, to: barePath)
            bareTimes.append(bareBegan.duration(to: timer.now))
        }
        let save = median(saveTimes)
        let bare = median(bareTimes)
        return Result(
            saves: saves, positions: positions, fileBytes: fileBytes, medianSave: save, medianBareWrite: bare,
            ratio: seconds(save) / max(seconds(bare), 1e-9))
    }

    private static func median(_ values: [Duration]) -> Duration {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
