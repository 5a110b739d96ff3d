import Foundation
import Persistence
import Primitives
import Settings
import Synchronization

/// A seeded, structure-aware fuzzer for the readers of hostile input: the `.env` parser (and the whole
/// configuration load behind it), the state-file decoder, and readers handed in as `FuzzTarget`s (the
/// paper exchange's order-body path, from `ExchangeFuzzing`). Inputs are built from valid samples by
/// mutation (byte flips, cuts, splices, repeats, dictionary tokens) and from scratch; each must come back
/// as a value or a described problem, never a crash, and within a deadline. A run takes its targets in
/// turn. `bulwark-fuzz` runs it for a time budget; the tests run a short smoke of it.
public struct Fuzzer {
    /// The readers this module fuzzes itself.
    public enum BuiltIn: String, CaseIterable, Sendable {
        /// The `.env` parser and the configuration load behind it.
        case env
        /// The state-file decoder.
        case state
    }

    /// What a run did.
    public struct Report: Sendable, CustomStringConvertible {
        /// Inputs tried for one `FuzzTarget`, and how many passed each of its stages.
        public struct TargetCount: Sendable {
            public var name: String
            public var inputs = 0
            public var passed: [(stage: String, count: Int)]
        }

        public var iterations = 0
        public var envFiles = 0
        public var stateFiles = 0
        /// Inputs the state decoder accepted as valid (the rest were refused with a reason).
        public var validStates = 0
        public var targets: [TargetCount] = []
        /// Promises a `FuzzTarget` found broken: how many, and the first 20, each with what broke and the
        /// input in base64. None on a clean run.
        public var failureCount = 0
        public var failures: [String] = []
        /// The slowest single input, and resident memory before and after (after a warm-up).
        public var slowest: Duration = .zero
        public var residentBefore = 0
        public var residentAfter = 0

        /// Inputs tried for the target named `name`.
        public func inputs(of name: String) -> Int { targets.first { $0.name == name }?.inputs ?? 0 }

        /// Inputs of the target named `name` that passed `stage`.
        public func passed(_ name: String, _ stage: String) -> Int {
            targets.first { $0.name == name }?.passed.first { $0.stage == stage }?.count ?? 0
        }

        public var description: String {
            var parts = ["\(envFiles) .env files", "\(stateFiles) state files, \(validStates) decoded as valid"]
            for target in targets {
                parts.append("\(target.name): \(target.inputs) inputs" + target.passed.map { ", \($0.count) \($0.stage)" }.joined())
            }
            return "\(iterations) inputs (\(parts.joined(separator: "; "))); \(failureCount) failures; slowest \(slowest); "
                + "resident \(ResourceUsage.megabytes(residentBefore)) -> \(ResourceUsage.megabytes(residentAfter))"
        }
    }

    private enum Slot {
        case builtIn(BuiltIn)
        case target(Int)
    }

    private var random: SeededGenerator
    private let folder: String
    private let slots: [Slot]
    private let targets: [FuzzTarget]

    /// `folder` holds the `.env` files written for the configuration load. `builtIn` and `targets` are what
    /// is fuzzed, in turn (the built-in two unless told otherwise).
    public init(seed: UInt64, folder: String, builtIn: [BuiltIn] = BuiltIn.allCases, targets: [FuzzTarget] = []) {
        self.random = SeededGenerator(seed: seed)
        self.folder = folder
        self.targets = targets
        let slots = builtIn.map(Slot.builtIn) + targets.indices.map(Slot.target)
        self.slots = slots.isEmpty ? BuiltIn.allCases.map(Slot.builtIn) : slots
    }

    /// Runs until `iterations` inputs or `budget` has passed, whichever comes first. `onInput` sees
    /// each input before it is tried (so a hang or a crash can be reported with it).
    public mutating func run(
        iterations: Int, budget: Duration, onInput: (String, [UInt8]) -> Void = { _, _ in }
    ) -> Report {
        var report = Report()
        report.targets = targets.map { Report.TargetCount(name: $0.name, passed: $0.stages.map { ($0, 0) }) }
        let clock = ContinuousClock()
        let start = clock.now
        let now = Timestamp(rfc3339: "2026-01-05T14:30:00Z")!
        while report.iterations < iterations && clock.now - start < budget {
            if report.iterations == 200 { report.residentBefore = ResourceUsage.currentResidentBytes }
            let began = clock.now
            switch slots[report.iterations % slots.count] {
            case .builtIn(.env):
                let text = envText()
                onInput("env", Array(text.utf8))
                let file = DotEnvFile(parsing: text)
                _ = file.values
                _ = file.problems.map(\.description)
                try? Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/.env"))
                _ = try? BulwarkConfiguration.load(ConfigurationInputs(environment: [:], workingDirectory: folder))
                report.envFiles += 1
            case .builtIn(.state):
                let bytes = stateBytes()
                onInput("state", bytes)
                if case .valid = StateFileFormat.decode(bytes, now: now) { report.validStates += 1 }
                report.stateFiles += 1
            case .target(let index):
                let target = targets[index]
                let bytes = input(for: target)
                onInput(target.name, bytes)
                let verdict = target.check(bytes)
                report.targets[index].inputs += 1
                for stage in verdict.passed {
                    if let at = report.targets[index].passed.firstIndex(where: { $0.stage == stage }) { report.targets[index].passed[at].count += 1 }
                }
                report.failureCount += verdict.problems.count
                for problem in verdict.problems where report.failures.count < 20 {
                    report.failures.append("\(target.name): \(problem); input (base64): \(Data(bytes.prefix(1024)).base64EncodedString())\(bytes.count > 1024 ? "…" : "")")
                }
            }
            report.slowest = max(report.slowest, clock.now - began)
            report.iterations += 1
        }
        report.residentAfter = ResourceUsage.currentResidentBytes
        if report.residentBefore == 0 { report.residentBefore = report.residentAfter }
        return report
    }

    // MARK: inputs for a FuzzTarget

    /// A hostile input as it is, or a sample or hostile input mutated, or tokens strung together, or noise.
    private mutating func input(for target: FuzzTarget) -> [UInt8] {
        var bytes: [UInt8]
        switch Int.random(in: 0...9, using: &random) {
        case 0 where !target.hostile.isEmpty: return target.hostile.randomElement(using: &random)!
        case 1 where !target.hostile.isEmpty: bytes = target.hostile.randomElement(using: &random)!
        case 2: bytes = (0..<Int.random(in: 0...256, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 3 where !target.dictionary.isEmpty:
            bytes = Array((0..<Int.random(in: 1...40, using: &random)).map { _ in target.dictionary.randomElement(using: &random)! }.joined().utf8)
        default: bytes = (target.samples + target.hostile).randomElement(using: &random) ?? []
        }
        mutate(&bytes, times: Int.random(in: 1...4, using: &random), dictionary: target.dictionary.isEmpty ? nil : target.dictionary)
        return bytes
    }

    // MARK: .env inputs

    private static let names = [
        "APCA_API_KEY_ID", "APCA_API_SECRET_KEY", "UW_API_TOKEN", "APCA_API_BASE_URL", "DASHBOARD_PORT", "MAX_POSITION_SIZE_USD",
        "MAX_PORTFOLIO_EXPOSURE_PCT", "CHAOS_MODE", "SYMBOL_WATCHLIST", "MIN_COOLDOWN_MINUTES", "BULWARK_THEME", "1BAD", "A-B", "",
    ]
    private static let tokens = [
        "=", "\"", "'", "\\", "\\n", "\\t", "\\u", "#", " # ", "export ", "\t", " ", "\r\n", "\n", "\r", "\u{0}", "\u{7F}", "é", "😀",
        "\u{200B}", "+80", "-1", "0.30", "1e9", "NaN", "https://user:pw@host/?q=1#f", "http://127.0.0.1:1", "AAPL,MSFT", "alpaca_down",
        String(repeating: "9", count: 40), String(repeating: "x", count: 300), "$HOME", "${X}", "=\"\"", "''",
    ]

    private mutating func envText() -> String {
        var lines: [String] = []
        for _ in 0..<Int.random(in: 0...12, using: &random) {
            let name = Self.names.randomElement(using: &random)!
            var value = ""
            for _ in 0..<Int.random(in: 0...5, using: &random) { value += Self.tokens.randomElement(using: &random)! }
            switch Int.random(in: 0...5, using: &random) {
            case 0: lines.append("\(name)=\"\(value)\"")
            case 1: lines.append("\(name)='\(value)'")
            case 2: lines.append("export \(name)=\(value)")
            case 3: lines.append("\(name) \(value)")
            default: lines.append("\(name)=\(value)")
            }
        }
        var bytes = Array(lines.joined(separator: Bool.random(using: &random) ? "\n" : "\r\n").utf8)
        mutate(&bytes, times: Int.random(in: 0...3, using: &random))
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: state inputs

    private static let sample: [UInt8] = Array(
        #"""
        {
          "schema_version": 2,
          "saved_at": "2026-01-05T14:30:00.000Z",
          "positions": [{"symbol": "AAPL", "quantity": "10", "average_entry_price": "187.25", "opened_at": "2026-01-05T14:30:00Z"}],
          "realized_pnl": "-1234.56",
          "last_trade_at": {"AAPL": "2026-01-05T14:30:00Z"},
          "trading_state": {"mode": "ACTIVE"},
          "pending_intents": [],
          "checksum": "0"
        }
        """#.utf8)
    private static let version1: [UInt8] = Array(#"{"version": 1, "positions": {"AAPL": {"qty": 3, "avg_price": 187.5}}, "pnl": 12.5}"#.utf8)
    private static let stateTokens = [
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e999", "-0", "\"\\u0000\"", "\"\\ud800\"", "9999999999999999999999",
        "\"schema_version\": 3", "\"version\": 2", "\"NaN\"", String(repeating: "[", count: 600), "\u{FEFF}",
    ]

    private mutating func stateBytes() -> [UInt8] {
        var bytes: [UInt8]
        switch Int.random(in: 0...9, using: &random) {
        case 0: bytes = Self.version1
        case 1: bytes = (0..<Int.random(in: 0...256, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 2: bytes = Array((0..<Int.random(in: 1...40, using: &random)).map { _ in Self.stateTokens.randomElement(using: &random)! }.joined().utf8)
        default: bytes = Self.sample
        }
        mutate(&bytes, times: Int.random(in: 1...6, using: &random))
        return bytes
    }

    // MARK: mutation

    /// Applies `times` random mutations; inserted tokens come from `dictionary` (by default the .env and
    /// state tokens).
    private mutating func mutate(_ bytes: inout [UInt8], times: Int, dictionary: [String]? = nil) {
        for _ in 0..<times {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0...6, using: &random) {
            case 0 where !bytes.isEmpty: bytes[position] ^= 1 << UInt8.random(in: 0...7, using: &random)
            case 1 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &random)
            case 2: bytes = Array(bytes.prefix(position))
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...16, using: &random))
                bytes.removeSubrange(position..<end)
            case 4:
                let token = (dictionary ?? Self.tokens + Self.stateTokens).randomElement(using: &random)!
                bytes.insert(contentsOf: Array(token.utf8), at: position)
            case 5 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...32, using: &random))
                let piece = bytes[position..<end]
                bytes.insert(contentsOf: piece, at: Int.random(in: 0...bytes.count, using: &random))
            default:
                break
            }
            if bytes.count > 64 * 1024 { bytes = Array(bytes.prefix(64 * 1024)) }
        }
    }
}
