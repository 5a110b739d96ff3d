import Foundation
import Synchronization
import TradingCore

/// A seeded, structure-aware fuzzer for the readers of hostile local input: the `.env` parser (and the
/// whole configuration load behind it) and the state-file decoder. Inputs are built from valid samples
/// by mutation (byte flips, cuts, splices, repeats, dictionary tokens) and from scratch; each must come
/// back as a value or a described problem, never a crash, and within a deadline. `bulwark-fuzz` runs it
/// for a time budget; the tests run a short smoke of it.
public struct Fuzzer {
    /// What a run did.
    public struct Report: Sendable, CustomStringConvertible {
        public var iterations = 0
        public var envFiles = 0
        public var stateFiles = 0
        /// Inputs the state decoder accepted as valid (the rest were refused with a reason).
        public var validStates = 0
        /// The slowest single input, and resident memory before and after (after a warm-up).
        public var slowest: Duration = .zero
        public var residentBefore = 0
        public var residentAfter = 0

        public var description: String {
            "\(iterations) inputs (\(envFiles) .env files, \(stateFiles) state files, \(validStates) decoded as valid); "
                + "slowest \(slowest); resident \(ResourceUsage.megabytes(residentBefore)) -> \(ResourceUsage.megabytes(residentAfter))"
        }
    }

    private var random: SeededGenerator
    private let folder: String

    /// `folder` holds the `.env` files written for the configuration load.
    public init(seed: UInt64, folder: String) {
        self.random = SeededGenerator(seed: seed)
        self.folder = folder
    }

    /// Runs until `iterations` inputs or `budget` has passed, whichever comes first. `onInput` sees
    /// each input before it is tried (so a hang or a crash can be reported with it).
    public mutating func run(
        iterations: Int, budget: Duration, onInput: (String, [UInt8]) -> Void = { _, _ in }
    ) -> Report {
        var report = Report()
        let clock = ContinuousClock()
        let start = clock.now
        let now = Timestamp(rfc3339: "2026-01-05T14:30:00Z")!
        while report.iterations < iterations && clock.now - start < budget {
            if report.iterations == 200 { report.residentBefore = ResourceUsage.currentResidentBytes }
            let began = clock.now
            if report.iterations % 2 == 0 {
                let text = envText()
                onInput("env", Array(text.utf8))
                let file = DotEnvFile(parsing: text)
                _ = file.values
                _ = file.problems.map(\.description)
                try? Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/.env"))
                _ = try? Configuration.load(ConfigurationInputs(environment: [:], workingDirectory: folder))
                report.envFiles += 1
            } else {
                let bytes = stateBytes()
                onInput("state", bytes)
                if case .valid = StateFileFormat.decode(bytes, now: now) { report.validStates += 1 }
                report.stateFiles += 1
            }
            report.slowest = max(report.slowest, clock.now - began)
            report.iterations += 1
        }
        report.residentAfter = ResourceUsage.currentResidentBytes
        if report.residentBefore == 0 { report.residentBefore = report.residentAfter }
        return report
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

    private mutating func mutate(_ bytes: inout [UInt8], times: Int) {
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
                let token = (Self.tokens + Self.stateTokens).randomElement(using: &random)!
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
